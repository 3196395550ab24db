package org.coea.model.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;

/**
 * The DJL device and floating-point type a model runs on, chosen from a {@link DeviceSetting}.
 *
 * <p>GPUs get {@link DataType#FLOAT16} (half the memory, tensor cores); the CPU gets {@link
 * DataType#FLOAT32}, since half precision on CPU is slow and bf16 aborts the PyTorch engine there.
 *
 * @param device where arrays and parameters live
 * @param dataType the type of parameters and activations
 */
public record DeviceSelection(Device device, DataType dataType) {
    /** The configuration option that holds the setting. */
    public static final ConfigOption<DeviceSetting> DEVICE =
            ConfigOptions.key("model.device")
                    .enumType(DeviceSetting.class)
                    .defaultValue(DeviceSetting.AUTO)
                    .withDescription(
                            "Where models run: auto (the first GPU in float16 when the engine sees"
                                    + " one, else the CPU in float32), cpu (float32), or gpu"
                                    + " (float16; fails without a GPU).");

    /** Validates the fields. */
    public DeviceSelection {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dataType, "dataType");
    }

    /** Selects from the {@link #DEVICE} option of a resolved configuration. */
    public static DeviceSelection select(Configuration conf) {
        return select(conf.get(DEVICE));
    }

    /**
     * Selects from a setting, asking the default DJL engine how many GPUs it sees.
     *
     * @throws IllegalStateException for {@code gpu} when the engine sees no GPU
     */
    public static DeviceSelection select(DeviceSetting setting) {
        return select(setting, Engine.getInstance().getGpuCount());
    }

    /** Selects from a setting given the number of GPUs the engine sees. */
    static DeviceSelection select(DeviceSetting setting, int gpuCount) {
        Objects.requireNonNull(setting, "setting");
        boolean gpu =
                switch (setting) {
                    case CPU -> false;
                    case AUTO -> gpuCount > 0;
                    case GPU -> {
                        if (gpuCount <= 0) {
                            throw new IllegalStateException(
                                    DEVICE.key()
                                            + "="
                                            + ConfigOptions.wireName(setting)
                                            + ", but the "
                                            + "DJL engine sees no GPU: run on a CUDA host with"
                                            + " the CUDA PyTorch natives (pytorch-native-cu124)"
                                            + " on the classpath, or set "
                                            + DEVICE.key()
                                            + " to auto or cpu");
                        }
                        yield true;
                    }
                };
        return gpu
                ? new DeviceSelection(Device.gpu(0), DataType.FLOAT16)
                : new DeviceSelection(Device.cpu(), DataType.FLOAT32);
    }
}
