"""The report tests that drive the window speak English with its plural forms, as the app does."""

from qt_catalogues import _english_catalogue  # noqa: F401 (an autouse fixture for these tests)
