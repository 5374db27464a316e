"""Tables of what model weights look like: magics, names and pairings.

Data only; the parsers and `classify` interpret it.  Sources of the facts
are the format specs and writers listed in docs/formats.md.  To add a
format: a row here (a magic, a name rule or a sibling rule), and a parser
in this package only if a magic alone cannot prove it.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..lazy import lazy


class Magic(NamedTuple):
    offset: int
    magic: bytes
    format: str
    what: str


# Fixed signatures that identify a weight (or model) file on their own.
WEIGHT_MAGICS = (
    Magic(0, b'gjdigits', 'duix-encrypted', 'Duix SDK encrypted model header'),
    Magic(0, b'lmgg', 'ggml', 'GGML magic'),
    Magic(0, b'fmgg', 'ggml', 'GGMF magic'),
    Magic(0, b'tjgg', 'ggml', 'GGJT magic'),
    Magic(0, b'algg', 'ggml', 'GGLA (LoRA) magic'),
    Magic(0, b'nsgg', 'ggml', 'GGSN session magic'),
    Magic(0, b'ccgg', 'ggml', 'GGCC magic'),
    Magic(4, b'TFL3', 'tflite', 'TFLite flatbuffer identifier TFL3'),
    Magic(4, b'ET12', 'executorch', 'ExecuTorch flatbuffer identifier ET12'),
    Magic(4, b'FT01', 'executorch', 'ExecuTorch FlatTensor identifier FT01'),
    Magic(4, b'ORTM', 'onnxruntime', 'ONNX Runtime flatbuffer identifier'),
    Magic(4, b'CIR0', 'circle', 'Circle flatbuffer identifier'),
    Magic(4, b'MSL0', 'mindspore-lite', 'MindSpore Lite identifier'),
    Magic(4, b'MSL1', 'mindspore-lite', 'MindSpore Lite identifier'),
    Magic(4, b'MSL2', 'mindspore-lite', 'MindSpore Lite identifier'),
    Magic(0, b'ptrt', 'tensorrt', 'TensorRT engine magic'),
    Magic(0, b'ftrt', 'tensorrt', 'TensorRT engine magic'),
    Magic(0, b'RKNN', 'rknn', 'RKNN model magic'),
    Magic(4, b'RKNN', 'rknn', 'RKNN model magic (after a 4-byte prefix)'),
    Magic(0, b'LITERTLM', 'tflite', 'LiteRT-LM container magic'),
    Magic(0, b'CBM1', 'catboost', 'CatBoost model magic'),
    Magic(0, b'PYTORCH1', 'pytorch', 'PyTorch 1.0rc container magic'),
    Magic(
        0, b'\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19',
        'pytorch-legacy', 'legacy torch.save magic number pickle',
    ),
    Magic(
        0, b'\x12\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00',
        'mxnet', 'MXNet NDArray list magic 0x112',
    ),
)

# Model files that describe a model without holding its weights (a graph):
# they travel under the model's licence, but are not modified weights.
MODEL_MAGICS = (
    Magic(0, b'7767517\n', 'ncnn-param', 'ncnn param (the graph; its weights are a .bin)'),
    Magic(0, b'7767517\r\n', 'ncnn-param', 'ncnn param (the graph; its weights are a .bin)'),
    Magic(0, b'\xdd\x85\x76\x00', 'ncnn-param', 'ncnn binary param (the graph)'),
)

# Archives whose listing is not read here: what they hold is unknown, so
# they count as weights (fail closed) unless --ignore says otherwise.
OPAQUE_ARCHIVES = (
    Magic(0, b'7z\xbc\xaf\x27\x1c', '7z', '7-Zip archive'),
    Magic(0, b'Rar!\x1a\x07', 'rar', 'RAR archive'),
)
ZSTD_MAGIC = b'\x28\xb5\x2f\xfd'

# Ordinary binaries: never weights, whatever they are called.
OTHER_MAGICS = (
    Magic(0, b'\x89PNG\r\n\x1a\n', 'png', 'PNG image'),
    Magic(0, b'\xff\xd8\xff', 'jpeg', 'JPEG image'),
    Magic(0, b'GIF87a', 'gif', 'GIF image'),
    Magic(0, b'GIF89a', 'gif', 'GIF image'),
    Magic(0, b'II*\x00', 'tiff', 'TIFF image'),
    Magic(0, b'MM\x00*', 'tiff', 'TIFF image'),
    Magic(0, b'%PDF-', 'pdf', 'PDF document'),
    Magic(0, b'\x7fELF', 'elf', 'ELF executable'),
    Magic(0, b'\xcf\xfa\xed\xfe', 'mach-o', 'Mach-O executable'),
    Magic(0, b'\xfe\xed\xfa\xcf', 'mach-o', 'Mach-O executable'),
    Magic(0, b'\xca\xfe\xba\xbe', 'mach-o', 'Mach-O universal binary'),
    Magic(0, b'MZ', 'pe', 'Windows executable'),
    Magic(0, b'\x00asm', 'wasm', 'WebAssembly module'),
    Magic(0, b'SQLite format 3\x00', 'sqlite', 'SQLite database'),
    Magic(0, b'RIFF', 'riff', 'RIFF media (WAV, AVI, WebP)'),
    Magic(0, b'OggS', 'ogg', 'Ogg media'),
    Magic(0, b'fLaC', 'flac', 'FLAC audio'),
    Magic(0, b'ID3', 'mp3', 'MP3 audio'),
    Magic(4, b'ftyp', 'mp4', 'MP4/QuickTime media'),
    Magic(0, b'\x1a\x45\xdf\xa3', 'matroska', 'Matroska/WebM media'),
    Magic(0, b'\x27\x05\x19\x56', 'uimage', 'U-Boot firmware image'),
    Magic(0, b'\xd0\x0d\xfe\xed', 'dtb', 'device tree blob'),
    Magic(0, b'hsqs', 'squashfs', 'SquashFS image'),
    Magic(0, b'\x3a\xff\x26\xed', 'android-sparse', 'Android sparse image'),
    Magic(0, b'PAR1', 'parquet', 'Parquet table'),
    Magic(0, b'ARROW1', 'arrow', 'Arrow table'),
    Magic(0, b'wOFF', 'woff', 'WOFF font'),
    Magic(0, b'wOF2', 'woff2', 'WOFF2 font'),
    Magic(0, b'OTTO', 'otf', 'OpenType font'),
)

HDF5_SIGNATURE = b'\x89HDF\r\n\x1a\n'
ZIP_LOCAL = b'PK\x03\x04'
ZIP_CENTRAL = b'PK\x01\x02'
ZIP_END = b'PK\x05\x06'
ZIP64_END = b'PK\x06\x06'
ZIP64_LOCATOR = b'PK\x06\x07'
TF_TABLE_MAGIC = b'\x57\xfb\x80\x8b\x24\x75\x47\xdb'  # last 8 bytes of .index
SAFETENSORS_MAX_HEADER = 100_000_000  # the reference reader's limit

# Compressed streams whose first bytes may be decompressed to look inside.
COMPRESSED_MAGICS = (
    Magic(0, b'\x1f\x8b', 'gzip', 'gzip'),
    Magic(0, b'BZh', 'bz2', 'bzip2'),
    Magic(0, b'\xfd7zXZ\x00', 'xz', 'xz'),
    Magic(0, b'\x5d\x00\x00', 'lzma', 'lzma'),
    # zlib (joblib's default compressor): CMF 0x78 and a valid FCHECK.
    Magic(0, b'\x78\x01', 'zlib', 'zlib'),
    Magic(0, b'\x78\x5e', 'zlib', 'zlib'),
    Magic(0, b'\x78\x9c', 'zlib', 'zlib'),
    Magic(0, b'\x78\xda', 'zlib', 'zlib'),
)
DECOMPRESS_BYTES = 64 * 1024  # at most this much output from a prefix
# Small model files are walked whole (graphs, vocabularies), pickles
# scanned this far: beyond, a file counts by what this much shows.
WALK_BYTES = 1024 * 1024

NUMPY_MAGIC = b'\x93NUMPY'
# Tesseract traineddata: an int32 entry count, then one int64 offset per
# entry (-1: absent).  Entries 3 (INTTEMP, trained templates) and 17
# (LSTM, the network) hold learned parameters (tessdatamanager.h).
TESSERACT_MAX_ENTRIES = 64
TESSERACT_LEARNED = {3: 'INTTEMP', 17: 'LSTM'}

# Top-level pickle names that mean a model or its parameters.
PICKLE_MODEL_MODULES = (
    'torch', 'sklearn', 'xgboost', 'lightgbm', 'catboost', 'keras',
    'tensorflow', 'transformers', 'peft', 'diffusers', 'timm',
    'joblib.numpy_pickle', 'numpy', 'jax', 'flax', 'paddle', 'mxnet',
    'gensim', 'lightning', 'pytorch_lightning', 'onnx', 'tokenizers',
)
PICKLE_MODEL_GLOBALS = frozenset((
    'collections OrderedDict',  # a state_dict
))

KERAS_H5_MARKERS = (
    b'model_weights', b'keras_version', b'model_config', b'layer_names',
    b'weight_names', b'training_config',
)


class NameRule(NamedTuple):
    pattern: re.Pattern[str]
    format: str


def _rules(*pairs: tuple[str, str]) -> tuple[NameRule, ...]:
    return tuple(NameRule(lazy(p), f) for p, f in pairs)


# Names that mark weights on their own, matched against the lower-cased
# file name.  The content may still prove otherwise (a text file, an image).
STRONG_NAMES = _rules(
    (r'\.(safetensors|sft)$', 'safetensors'),
    (r'\.gguf$', 'gguf'),
    (r'\.ggml$|^ggml-model.*\.bin$|\.ggmlv\d\.bin$', 'ggml'),
    (r'\.onnx$', 'onnx'),
    (r'\.onnx[._]data$', 'onnx-external-data'),
    (r'\.ort$', 'onnxruntime'),
    (r'\.(pt|pth|ptl|pt2|torchscript)$|\.pth\.tar$', 'pytorch'),
    (r'\.ckpt$', 'pytorch-checkpoint'),
    (r'^pytorch_model.*\.bin$|^adapter_model\.bin$', 'pytorch'),
    (r'^diffusion_pytorch_model.*\.bin$|^pytorch_lora_weights\.bin$', 'pytorch'),
    (r'-\d{5}-of-\d{5}\.(bin|pt|pth|h5|msgpack)$', 'sharded-checkpoint'),
    (r'^tf_model\.h5$|\.weights\.h5$', 'keras-h5'),
    (r'\.keras$', 'keras'),
    (r'\.(tflite|litertlm)$', 'tflite'),
    (r'\.(pte|ptd)$', 'executorch'),
    (r'^flax_model.*\.msgpack$|^diffusion_flax_model.*\.msgpack$', 'flax-msgpack'),
    (r'\.mlmodel$', 'coreml'),
    (r'\.data-\d{5}-of-\d{5}$', 'tf-checkpoint'),
    (r'\.c(hk)?pt-\d+$', 'tf-checkpoint'),  # a TF1 (V1) checkpoint
    (r'\.traineddata$', 'tesseract'),
    (r'^(shape_predictor_.*|mmod_.*|.*_model_v\d+|dlib_.*)\.dat$', 'dlib'),
    (r'\.ckpt(-\d+)?\.index$', 'tf-checkpoint'),
    (r'^group\d+-shard\d+of\d+(\.bin)?$', 'tfjs-weights'),
    (r'\.(pdparams|pdiparams|pdopt)$', 'paddle'),
    (r'\.caffemodel$', 'caffe'),
    (r'\.mnn$', 'mnn'),
    (r'\.rknn$', 'rknn'),
    (r'\.(trt|trtmodel)$', 'tensorrt'),
    (r'^init_net\.pb$', 'caffe2'),  # Caffe2: the parameters' fill ops
    (r'^__params__$', 'paddle'),  # legacy Paddle inference model
    (r'\.(nemo|mar)$', 'model-archive'),
    (r'\.ot$', 'libtorch-ot'),
    (r'\.(mindir|om|kmodel|xmodel|tnnmodel|tmfile|dlc|circle|espdl)$', 'edge-model'),
    (r'\.(ncnn|pnnx)\.bin$', 'ncnn'),
    (r'^openvino_model\.(bin|xml)$', 'openvino'),
    (r'^(dh_model|alpha_model)\.[bp]$|^wenet\.o$|^weight_168u\.(b|bin)$', 'duix-model'),
    (r'\.joblib$|\.(pkl|joblib)\.(z|gz|bz2|xz|lzma)$', 'joblib'),
    (r'\.llamafile$', 'llamafile'),
    (r'\.skops$', 'skops'),
)

# Names of model files that hold no learned weights (graphs, metadata):
# they travel under the model's licence, but are not modified weights.
MODEL_NAMES = _rules(
    (r'^saved_model\.pbtxt?$|^keras_metadata\.pb$|^fingerprint\.pb$|^tfhub_module\.pb$',
     'tf-savedmodel'),
    (r'\.ckpt(-\d+)?\.meta$', 'tf-checkpoint-graph'),
    (r'\.pdmodel$|^__model__$', 'paddle-graph'),
    (r'^predict_net\.pb$', 'caffe2-graph'),
    (r'\.param(\.bin)?$', 'ncnn-param'),
    (r'\.prototxt$', 'caffe-graph'),
)

# Pickle-family names: content decides (a pickle of plain data is not
# weights); bytes we cannot read fall back to the name.
PICKLE_NAMES = lazy(r'\.(pkl|pickle|dill|sav)$')

# HDF5 files and NumPy arrays are weights only with Keras markers (HDF5),
# model classes (a pickled .npy) or a model-like name.
MODEL_LIKE_NAMES = lazy(
    r'(^|[._-])(model|weights?|ckpt|checkpoint|params|parameters|state_dict|'
    r'embeddings?)([._-]|$)|^tf_model',
)

# Names of archives: a Git LFS pointer to one, without its content, may
# hold anything (fail closed).
ARCHIVE_NAMES = lazy(
    r'\.(zip|tar|tgz|tbz2?|txz|tzst|7z|rar|gz|bz2|xz|zst|lzma)$',
)

# Folders whose every file belongs to one model (a bundle), judged as one
# unit; inside, these files hold its weights, the others describe it.
MODEL_FOLDERS = _rules(
    (r'\.mlpackage$', 'coreml-package'),
    (r'\.mlmodelc$', 'coreml-compiled'),
)
BUNDLE_WEIGHTS = lazy(r'(^|/)weights/[^/]+$|\.espresso\.weights$|\.mlmodel$')


class SiblingRule(NamedTuple):
    pattern: re.Pattern[str]  # with a `stem` group
    descriptors: tuple[str, ...]  # '{stem}' is replaced; '*' is a wildcard
    format: str


# Headerless weights, known by the file that describes them.
SIBLING_RULES = (
    SiblingRule(lazy(r'^(?P<stem>.+)\.bin$'), ('{stem}.param', '{stem}.param.bin'), 'ncnn'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.bin$'), ('{stem}.xml',), 'openvino'),
    SiblingRule(lazy(r'^(?P<stem>.+)_ov\.bin$'), ('{stem}_ov.xml',), 'openvino'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.weights$'), ('{stem}.cfg',), 'darknet'),
    SiblingRule(lazy(r'^(?P<stem>.+)-\d{4}\.params$'), ('{stem}-symbol.json',), 'mxnet'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.index$'), ('{stem}.data-*',), 'tf-checkpoint'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.b$'), ('{stem}.p',), 'duix-model'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.p$'), ('{stem}.b',), 'duix-model'),
    SiblingRule(lazy(r'^(?P<stem>weights)\.pb$'), ('*.onnx',), 'onnx-external-data'),
    SiblingRule(lazy(r'^(?P<stem>.+)\.caffemodel$'), ('*.prototxt',), 'caffe'),
    SiblingRule(
        lazy(r'^(?P<stem>.+)-shard\d+(of\d+)?(\.bin)?$'),
        ('{stem}-weights_manifest.json', 'weights_manifest.json', 'model.json'), 'tfjs-weights',
    ),
    SiblingRule(lazy(r'^(?P<stem>.+)-\d{5}-of-\d{5}$'), ('{stem}.meta', 'checkpoint'),
                'tf-checkpoint'),
)

# Formats with no header: their bytes can be anything, text-like included,
# so their names decide even over content that reads as text.
HEADERLESS_FORMATS = frozenset((
    'onnx-external-data', 'tf-checkpoint', 'tfjs-weights', 'paddle', 'tesseract',
    'duix-model', 'ncnn', 'openvino', 'darknet', 'mxnet', 'caffe', 'mnn', 'dlib',
))

# Archive member layouts that make the whole archive one model.
ARCHIVE_LAYOUTS = (
    # (format, member names that must all be present, as path suffixes)
    ('torchscript', ('data.pkl', 'constants.pkl')),
    ('pytorch-export', ('archive_format',)),
    ('pytorch-export', ('models/model.json', 'archive_version')),
    ('pytorch', ('data.pkl',)),
    ('pytorch-package', ('.data/version', '.data/extern_modules')),
    ('keras', ('metadata.json', 'config.json', 'model.weights.h5')),
    ('keras', ('metadata.json', 'config.json', 'model.weights.npz')),
    ('pytorch', ('data/0',)),
    # torch.save before 0.4: a tar of these four members
    ('pytorch-legacy-tar', ('sys_info', 'pickle', 'storages', 'tensors')),
)
# What a probe sees of an archive member that is an archive holding weights.
WEIGHTS_INSIDE = b'\0model-license-hooks: an archive holding weights\0'
