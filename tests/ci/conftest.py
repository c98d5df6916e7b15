"""The pipeline jobs install gongkai with their own commands, from the run's wheelhouse (tests/conftest.py)."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def _jobs_install_offline(offline_pip):
    yield
