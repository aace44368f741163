"""theano.misc.gh_api: Theano's GitHub developer helpers are not provided."""

import pytest

from theano.misc import gh_api


@pytest.mark.parametrize("call", [lambda: gh_api.get_auth_token(),
                                  lambda: gh_api.post_gist("text"),
                                  lambda: gh_api.get_pulls_list("Theano/Theano")])
def test_each_helper_says_what_to_use(call):
    with pytest.raises(NotImplementedError, match="GitHub REST API"):
        call()
    assert gh_api.fake_username == "ipython_tools" and gh_api.token is None
