import pytest

from tests.jobs.helpers import RECORDER, Recorder


@pytest.fixture
def recorder() -> Recorder:
    RECORDER.reset()
    return RECORDER
