"""theano.configdefaults: the names of Theano 1.0.5's flag module (values printed by the same
calls under the original Theano, ../shared/tools/theano-ref)."""

import os

import pytest

import theano
from theano import configdefaults as cd
from theano.configparser import config


def test_it_is_the_same_config():
    assert cd.config is config and theano.configdefaults is cd
    assert cd.AddConfigVar is theano.configparser.AddConfigVar


def test_filters():
    assert [cd.floatX_convert(x) for x in ("32", "64", "16", "float32")] == \
        ["float32", "float64", "float16", "float32"]
    assert [cd.good_seed_param(x) for x in ("random", "12", 12, "x", "1.5")] == \
        [True, True, True, False, False]
    assert [cd.is_valid_check_preallocated_output_param(x)
            for x in ("", "ALL", "initial:previous", "bad", 3)] == [True, True, True, False, False]
    assert [cd.filter_vm_lazy(x) for x in ("None", None, "True", True, "False", False)] == \
        [None, None, True, True, False, False]
    with pytest.raises(ValueError, match="vm.lazy"):
        cd.filter_vm_lazy("maybe")
    assert cd.filter_mode("FAST_RUN") == "FAST_RUN"
    mode = theano.compile.mode.Mode()
    assert cd.filter_mode(mode) is mode
    with pytest.raises(ValueError, match="Expected one of those string"):
        cd.filter_mode("FAST")
    with pytest.raises(RuntimeError):
        cd.deprecated_gpuarray_sync(True)
    assert cd.deprecated_gpuarray_sync(False) is False
    with pytest.raises(RuntimeError, match="dnn.conv.workmem"):
        cd.safe_no_dnn_workmem("small")
    assert cd.safe_no_dnn_algo_bwd("") is True


def test_versions_and_warnings():
    assert cd.split_version("0.10.1") == (0, 10, 1)
    # warn.ignore_bug_before is 0.9 by default: bugs fixed in 0.3 are not warned about.
    assert (cd.warn_default("0.3"), cd.warn_default("0.10")) == (False, True)


def test_short_platform():
    assert cd.short_platform("3.10.0-327.el7.x86_64",
                             "Linux-3.10.0-327.el7.x86_64-x86_64-with-centos") == \
        "Linux-3.10-el7.x86_64-x86_64-with-centos"
    assert cd.short_platform("2.6.32-504.el6.x86_64",
                             "Linux-2.6.32-504.el6.x86_64-x86_64-with-redhat-6.6-Santiago") == \
        "Linux-2.6-el6.x86_64-x86_64-with-redhat-6.6-Santiago"
    assert cd.short_platform("10.2", "Darwin-10.2") == "Darwin-10.2"
    assert cd.short_platform("4.4-1", "Linux-4.4-1-x") == "Linux-4.4-1-x"


def test_dnn_option_tuples():
    runtime = ["guess_once", "guess_on_shape_change", "time_once", "time_on_shape_change"]
    assert list(cd.SUPPORTED_DNN_CONV_ALGO_RUNTIME) == runtime
    assert list(cd.SUPPORTED_DNN_CONV_ALGO_FWD) == [
        "small", "none", "large", "fft", "fft_tiling", "winograd", "winograd_non_fused",
        *runtime]
    assert list(cd.SUPPORTED_DNN_CONV_ALGO_BWD_DATA) == [
        "none", "deterministic", "fft", "fft_tiling", "winograd", "winograd_non_fused", *runtime]
    assert list(cd.SUPPORTED_DNN_CONV_ALGO_BWD_FILTER) == [
        "none", "deterministic", "fft", "small", "winograd_non_fused", "fft_tiling", *runtime]
    assert list(cd.SUPPORTED_DNN_CONV_PRECISION) == [
        "as_input_f32", "as_input", "float16", "float32", "float64"]


def test_contexts_param():
    p = cd.ContextsParam()
    assert p.filter("a->cuda0;b->cuda1") == "a->cuda0;b->cuda1" and p.allow_override is False
    with pytest.raises(ValueError, match="Malformed context map: b"):
        p.filter("a->cuda0;b")
    with pytest.raises(ValueError, match="Cannot use cuda1 as context name"):
        p.filter("cuda1->cuda0")


def test_compiledir_helpers(tmp_path):
    assert sorted(cd.compiledir_format_dict) == [
        "device", "gxx_version", "hostname", "numpy_version", "platform", "processor",
        "python_bitwidth", "python_int_bitwidth", "python_version", "short_platform",
        "theano_version"]
    assert cd.compiledir_format_dict["theano_version"] == "1.0.5"
    assert cd.compiledir_format_keys == ", ".join(sorted(cd.compiledir_format_dict))
    assert cd.local_bitwidth() in (32, 64) and cd.python_int_bitwidth() in (32, 64)
    assert cd.default_compiledir() == os.path.join(config.base_compiledir,
                                                   cd.default_compiledirname())
    made = cd.filter_compiledir(str(tmp_path / "cache" / "sub"))
    assert os.path.isfile(os.path.join(made, "__init__.py"))
    assert cd.get_home_dir() == os.environ["HOME"]


def test_no_c_compiler():
    assert (cd.default_blas_ldflags(), cd.gcc_version_str, cd.default_openmp) == \
        ("", "GCC_NOT_FOUND", False)
    assert cd.check_mkl_openmp() is None and cd.warn_cxx("g++") is True
    with pytest.raises(NotImplementedError, match="NumPy's BLAS"):
        cd.try_blas_flag(["-lblas"])
