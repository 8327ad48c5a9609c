# conftest.py — the pytest tests of tests/pytest/ drive examples/ with the hostkit_pytest plugin
# (python/hostkit_pytest.py), as a user's own tests would; tests/test_pytest_plugin.py runs them.
import os

pytest_plugins = ["hostkit_pytest"]

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def example(name):
    """The system file of examples/NAME."""
    return os.path.join(TOP, "examples", name, name + ".system")
