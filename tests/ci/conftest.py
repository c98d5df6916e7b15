"""The pipeline jobs install gongkai with their own commands, from the run's wheelhouse (tests/conftest.py);
`npm ci` in them takes what npm's cache already has without asking the registry again (prefer-offline)."""
import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _jobs_install_offline(offline_pip):
    saved = os.environ.get("npm_config_prefer_offline")
    os.environ["npm_config_prefer_offline"] = "true"
    yield
    if saved is None:
        os.environ.pop("npm_config_prefer_offline", None)
    else:
        os.environ["npm_config_prefer_offline"] = saved
