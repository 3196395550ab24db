package org.coea.model.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coea.common.config.Configuration;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {
    private static final DeviceSelection CPU = new DeviceSelection(Device.cpu(), DataType.FLOAT32);
    private static final DeviceSelection GPU = new DeviceSelection(Device.gpu(0), DataType.FLOAT16);

    @Test
    void autoOnTheCpuBuildIsCpuInFloat32() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        assertThat(Engine.getInstance().getGpuCount())
                .as("the build ships the CPU natives only")
                .isZero();
        assertThat(DeviceSelection.select(DeviceSetting.AUTO)).isEqualTo(CPU);
        assertThat(DeviceSelection.select(DeviceSetting.CPU)).isEqualTo(CPU);
    }

    @Test
    void explicitGpuWithoutGpuFailsNamingTheSetting() {
        assertThatThrownBy(() -> DeviceSelection.select(DeviceSetting.GPU))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("model.device=gpu, but the DJL engine sees no GPU")
                .hasMessageContaining("auto or cpu");
    }

    @Test
    void followsTheGpuCount() {
        assertThat(DeviceSelection.select(DeviceSetting.AUTO, 0)).isEqualTo(CPU);
        assertThat(DeviceSelection.select(DeviceSetting.AUTO, 2)).isEqualTo(GPU);
        assertThat(DeviceSelection.select(DeviceSetting.GPU, 1)).isEqualTo(GPU);
        assertThat(DeviceSelection.select(DeviceSetting.CPU, 4)).isEqualTo(CPU);
        assertThatThrownBy(() -> DeviceSelection.select(DeviceSetting.GPU, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsTheSettingFromConfiguration() {
        assertThat(
                        DeviceSelection.select(
                                Configuration.resolve(
                                        List.of(DeviceSelection.DEVICE),
                                        Map.of("model.device", "cpu"),
                                        Optional.empty())))
                .isEqualTo(CPU);
        Configuration defaults =
                Configuration.resolve(List.of(DeviceSelection.DEVICE), Map.of(), Optional.empty());
        assertThat(defaults.get(DeviceSelection.DEVICE)).isEqualTo(DeviceSetting.AUTO);
        assertThatThrownBy(
                        () ->
                                Configuration.resolve(
                                        List.of(DeviceSelection.DEVICE),
                                        Map.of("model.device", "tpu"),
                                        Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.device")
                .hasMessageContaining("auto|cpu|gpu");
    }
}
