import pytest

from tests.support.jobs import RECORDER, Recorder


@pytest.fixture
def recorder() -> Recorder:
    RECORDER.reset()
    return RECORDER
