package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.model.safetensors.SafetensorsFixtures.floats;
import static org.coea.model.safetensors.SafetensorsFixtures.longs;
import static org.coea.model.safetensors.SafetensorsFixtures.shorts;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets past 2^31 in a sparse file of about 2.2 GB: the holes cost no disk, and a reader with int
 * offsets (such as {@code NDList.decode}) could not reach the tensors at the end.
 */
class SafetensorsLargeOffsetTest {
    /** A U8 filler tensor that pushes the data of the others past 2^31 + 2^26. */
    private static final long PAD = (1L << 31) + (1L << 26);

    @TempDir Path dir;

    @Test
    void readsTensorsStoredPastTwoGibibytes() throws IOException {
        String header =
                "{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"pad\":{\"dtype\":\"U8\",\"shape\":["
                        + PAD
                        + "],\"data_offsets\":[0,"
                        + PAD
                        + "]},"
                        + "\"far\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":["
                        + PAD
                        + ","
                        + (PAD + 16)
                        + "]},"
                        + "\"far16\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":["
                        + (PAD + 16)
                        + ","
                        + (PAD + 22)
                        + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + json.length;
        long size = dataStart + PAD + 22;
        Path path = dir.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            try {
                raf.setLength(size);
            } catch (IOException e) {
                Assumptions.abort(
                        "the filesystem under "
                                + dir
                                + " refuses a sparse "
                                + size
                                + "-byte file: "
                                + e);
            }
            raf.write(longs(json.length));
            raf.write(json);
            raf.seek(dataStart + PAD);
            raf.write(floats(1.5f, -2f, 3.25f, 1e-3f));
            raf.write(shorts(0x3F80, 0xC020, 0x4049));
        }

        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.names()).containsExactly("pad", "far", "far16");
            assertThat(file.dataStart() + file.info("far").begin()).isGreaterThan(1L << 31);
            assertThat(file.readFloat32("far")).containsExactly(1.5f, -2f, 3.25f, 1e-3f);
            assertThat(file.readFloat32("far16")).containsExactly(1f, -2.5f, 3.140625f);
            assertThatThrownBy(() -> file.bytes("pad"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(path.toString())
                    .hasMessageContaining("tensor 'pad'")
                    .hasMessageContaining("over 2 GiB - 1 cannot be memory-mapped");
        }
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(path)) {
            assertThat(checkpoint.bytes("far").getFloat(8)).isEqualTo(3.25f);
        }
    }
}
