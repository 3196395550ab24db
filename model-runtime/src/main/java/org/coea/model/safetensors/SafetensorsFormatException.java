package org.coea.model.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A safetensors file or index that breaks the format; the message names the file and tensor. */
public final class SafetensorsFormatException extends IOException {
    private final transient Path file;
    private final String tensor;

    SafetensorsFormatException(Path file, String tensor, String detail) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + detail);
        this.file = file;
        this.tensor = tensor;
    }

    SafetensorsFormatException(Path file, String detail) {
        this(file, null, detail);
    }

    /** The file that breaks the format. */
    public Path file() {
        return file;
    }

    /** The tensor the problem concerns, when it concerns one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
