/**
 * Engine-free model runtime of the CoEA platform: DJL blocks, trainers and their tensor helpers.
 */
package org.coea.model;
