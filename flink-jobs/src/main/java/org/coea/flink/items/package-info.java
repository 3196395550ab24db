/** The items table of the streaming jobs: item to category ids. */
package org.coea.flink.items;
