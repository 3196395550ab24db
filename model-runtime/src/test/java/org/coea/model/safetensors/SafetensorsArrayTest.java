package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.model.safetensors.SafetensorsFixtures.file;
import static org.coea.model.safetensors.SafetensorsFixtures.floats;
import static org.coea.model.safetensors.SafetensorsFixtures.shorts;
import static org.coea.model.safetensors.SafetensorsFixtures.toArray;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading tensors into DJL arrays and saving arrays, on the CPU engine. */
class SafetensorsArrayTest {
    @TempDir Path dir;

    @Test
    void float32LoadEqualsReadFloat32ForEveryFloatType() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "golden.safetensors", SafetensorsFixtures.golden());
        try (SafetensorsFile file = SafetensorsFile.open(path);
                NDManager manager = NDManager.newBaseManager()) {
            for (String name : new String[] {"w", "h", "b"}) {
                NDArray array = file.load(manager, name, DataType.FLOAT32);
                assertThat(array.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(array.getShape()).isEqualTo(new Shape(file.info(name).shape()));
                assertThat(array.toFloatArray()).as(name).containsExactly(file.readFloat32(name));
            }
            NDArray w = file.load(manager, "w", DataType.FLOAT32);
            assertThat(w.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(w.get(1, 1).getFloat()).isEqualTo(1e10f);
        }
    }

    @Test
    void float16LoadOnCpuHoldsTheNearestHalves() throws IOException {
        // 0.1 is not a half: the nearest is 0x2E66 = 0.0999755859375; 1e5 overflows to infinity
        String header =
                "{\"f\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[22,26]}}";
        byte[] data =
                SafetensorsFixtures.concat(
                        floats(0.1f, -2.5f, 1e5f, 65504f),
                        shorts(0x3C00, 0xC100, 0x0001),
                        shorts(0x3F80, 0x4049));
        Path path = SafetensorsFixtures.write(dir, "mixed.safetensors", file(header, data));
        try (SafetensorsFile file = SafetensorsFile.open(path);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray f = file.load(manager, "f", DataType.FLOAT16);
            assertThat(f.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(f.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(f.toType(DataType.FLOAT32, false).toFloatArray())
                    .containsExactly(0.0999755859375f, -2.5f, Float.POSITIVE_INFINITY, 65504f);

            NDArray h = file.load(manager, "h", DataType.FLOAT16);
            assertThat(h.toType(DataType.FLOAT32, false).toFloatArray())
                    .containsExactly(1f, -2.5f, 0x1p-24f);
            assertThat(toArray(h.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN)))
                    .as("fp16 bits copied unchanged")
                    .isEqualTo(shorts(0x3C00, 0xC100, 0x0001));

            // bf16 3.140625 -> nearest half 3.140625 (0x4248 exactly: 3 + 0.140625 = 3 + 144/1024)
            NDArray b = file.load(manager, "b", DataType.FLOAT16);
            assertThat(b.toType(DataType.FLOAT32, false).toFloatArray())
                    .containsExactly(1f, 3.140625f);
        }
    }

    @Test
    void loadRefusesBf16AndNonFloatTargetsAndSources() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "golden.safetensors", SafetensorsFixtures.golden());
        try (SafetensorsFile file = SafetensorsFile.open(path);
                NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> file.load(manager, "b", DataType.BFLOAT16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bf16 arrays abort the JVM");
            assertThatThrownBy(() -> file.load(manager, "w", DataType.INT32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use FLOAT32 (CPU) or FLOAT16 (GPU)");
            assertThatThrownBy(() -> file.load(manager, "i", DataType.FLOAT32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString())
                    .hasMessageContaining("tensor 'i' is I64");
        }
    }

    @Test
    void scalarTensorLoadsAsAScalarArray() throws IOException {
        String header = "{\"s\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[0,2]}}";
        Path path =
                SafetensorsFixtures.write(dir, "scalar.safetensors", file(header, shorts(0xC020)));
        try (SafetensorsFile file = SafetensorsFile.open(path);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray s = file.load(manager, "s", DataType.FLOAT32);
            assertThat(s.getShape().isScalar()).isTrue();
            assertThat(s.getFloat()).isEqualTo(-2.5f);
        }
    }

    @Test
    void writesFloat32AndFloat16ArraysInTheChosenDiskType() throws IOException {
        Path path = dir.resolve("arrays.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray f32 =
                    manager.create(
                            new float[] {1f, -2.5f, 0.1f, 65504f, 3f, 1e-8f}, new Shape(2, 3));
            NDArray f16 =
                    manager.create(new float[] {1f, -2.5f, 0.1f}).toType(DataType.FLOAT16, false);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            tensors.put("f32.as.f32", TensorData.ofArray(f32, SafetensorsDtype.F32));
            tensors.put("f32.as.f16", TensorData.ofArray(f32, SafetensorsDtype.F16));
            tensors.put("f32.as.bf16", TensorData.ofArray(f32, SafetensorsDtype.BF16));
            tensors.put("f16.as.f16", TensorData.ofArray(f16, SafetensorsDtype.F16));
            tensors.put("f16.as.f32", TensorData.ofArray(f16, SafetensorsDtype.F32));
            SafetensorsWriter.write(path, tensors, Map.of("format", "pt"));

            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("weight", f32);
            Path viaConvenience = dir.resolve("weights.safetensors");
            SafetensorsWriter.writeArrays(viaConvenience, arrays, SafetensorsDtype.BF16, Map.of());
            try (SafetensorsFile file = SafetensorsFile.open(viaConvenience)) {
                assertThat(file.info("weight").dtype()).isEqualTo(SafetensorsDtype.BF16);
                assertThat(file.info("weight").shape()).containsExactly(2, 3);
            }

            assertThatThrownBy(
                            () ->
                                    TensorData.ofArray(
                                            manager.create(new int[] {1}), SafetensorsDtype.F32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only FLOAT32 and FLOAT16 arrays");
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.info("f32.as.f32").shape()).containsExactly(2, 3);
            assertThat(file.readFloat32("f32.as.f32"))
                    .containsExactly(1f, -2.5f, 0.1f, 65504f, 3f, 1e-8f);
            // 1e-8 is below half the smallest fp16 subnormal (2^-25 ~ 2.98e-8): zero
            assertThat(toArray(file.bytes("f32.as.f16")))
                    .isEqualTo(shorts(0x3C00, 0xC100, 0x2E66, 0x7BFF, 0x4200, 0x0000));
            // bf16: 0.1f = 0x3DCCCCCD -> 0x3DCD; 65504 = 0x477FE000 -> low half 0xE000 rounds up,
            // 0x4780
            // 1e-8f = 0x322BCC77 -> 0x322C
            assertThat(toArray(file.bytes("f32.as.bf16")))
                    .isEqualTo(shorts(0x3F80, 0xC020, 0x3DCD, 0x4780, 0x4040, 0x322C));
            assertThat(toArray(file.bytes("f16.as.f16"))).isEqualTo(shorts(0x3C00, 0xC100, 0x2E66));
            assertThat(file.readFloat32("f16.as.f32")).containsExactly(1f, -2.5f, 0.0999755859375f);
        }
    }
}
