import pytest


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.DANGVU_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def generate(immediate_tasks, django_capture_on_commit_callbacks):
    """Request a report and run its job inline; returns the refreshed report."""
    from dangvu.reports.services import report_request

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            report = report_request(**kwargs)
        report.refresh_from_db()
        return report

    return run
