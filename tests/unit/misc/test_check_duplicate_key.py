"""theano.misc.check_duplicate_key: no C-module cache here, so there is nothing to examine."""

import pytest

from theano.misc import check_duplicate_key as cdk


def test_empty_statistics_and_clear_error():
    assert (cdk.dirs, cdk.keys, cdk.mods, cdk.total, cdk.uniq, cdk.useless) == ([], {}, {}, 0, 0,
                                                                               0)
    with pytest.raises(NotImplementedError, match="no such cache"):
        cdk.main()
