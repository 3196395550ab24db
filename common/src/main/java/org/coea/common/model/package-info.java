/** Domain types shared by the batch and streaming jobs: events, items, users, categories, CSIDs. */
package org.coea.common.model;
