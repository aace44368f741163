"""theano.gof.lazylinker_c: no C loop; the Python VM is the alternative."""

import pytest

from theano.gof import lazylinker_c


def test_names_exist_and_raise_at_use():
    assert lazylinker_c.version == 0.211 and lazylinker_c.lazylinker_ext is None
    assert lazylinker_c.force_compile is False
    for call in (lazylinker_c.try_import, lazylinker_c.try_reload, lazylinker_c.get_version,
                 lazylinker_c.CLazyLinker):
        with pytest.raises(NotImplementedError, match="use theano.gof.vm.VM_Linker"):
            call()
