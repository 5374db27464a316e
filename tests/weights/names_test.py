from __future__ import annotations

import pytest

from model_license_hooks.weights.names import name_format


@pytest.mark.parametrize(
    ('name', 'siblings', 'fmt'),
    (
        ('model-00001-of-00003.safetensors', (), 'safetensors'),
        ('pytorch_model-00001-of-00002.bin', (), 'pytorch'),
        ('variables.data-00000-of-00001', (), 'tf-checkpoint'),
        ('group1-shard1of4.bin', (), 'tfjs-weights'),
        ('yolov4.weights', ('yolov4.cfg',), 'darknet'),
        ('resnet-0000.params', ('resnet-symbol.json',), 'mxnet'),
        ('dh_model.b', (), 'duix-model'),
        ('weights.pb', ('model.onnx',), 'onnx-external-data'),
        ('wenet.onnx_ov.bin', ('wenet.onnx_ov.xml',), 'openvino'),
    ),
)
def test_name_rules(name, siblings, fmt):
    found = name_format(name, siblings)
    assert found is not None
    assert found[0] == fmt


@pytest.mark.parametrize('name', ('firmware.bin', 'data.dat', 'weights.pb', 'x.o'))
def test_weak_names_alone_are_not_weights(name):
    assert name_format(name) is None
