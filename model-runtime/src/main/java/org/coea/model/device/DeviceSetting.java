package org.coea.model.device;

/**
 * Where a model should run, as written in configuration: {@code auto}, {@code cpu} or {@code gpu}.
 */
public enum DeviceSetting {
    /**
     * The first GPU in half precision when the engine sees one, else the CPU in single precision.
     */
    AUTO,
    /** The CPU in single precision. */
    CPU,
    /** The first GPU in half precision; fails when the engine sees no GPU. */
    GPU
}
