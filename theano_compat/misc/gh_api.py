"""theano.misc.gh_api: the GitHub helpers of Theano's developer scripts (authorisation token,
issue comments, gists, pull requests).

They are tools for working on Theano's own repository, not part of its API; they need the
network and a GitHub login, so each raises NotImplementedError here.  Use the GitHub REST
API directly (``requests``, PyGithub or the ``gh`` command-line tool).
"""

fake_username = "ipython_tools"
token = None


def _unsupported(name):
    raise NotImplementedError(
        f"theano.misc.gh_api.{name} is one of Theano's developer scripts for its GitHub "
        "repository and is not provided by theano_compat; use the GitHub REST API directly "
        "(requests, PyGithub or the gh command-line tool).")


def get_auth_token():
    _unsupported("get_auth_token")


def make_auth_header():
    _unsupported("make_auth_header")


def post_issue_comment(project, num, body):
    _unsupported("post_issue_comment")


def post_gist(content, description="", filename="file", auth=False):
    _unsupported("post_gist")


def get_pull_request(project, num, github_api=3):
    _unsupported("get_pull_request")


def get_pulls_list(project, github_api=3):
    _unsupported("get_pulls_list")
