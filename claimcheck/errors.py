"""One exception hierarchy. Every message names the file (when there is one) and
says what the user can do; every error has a stable code (``CC1xx``)."""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class for everything claimcheck raises on purpose."""

    code = "CC000"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        self.hint = hint
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"[{self.code}] {where}{self.message}{hint}"


class InputError(ClaimcheckError):
    """An article file or folder that cannot be read as an article."""

    code = "CC100"


class EmptyArticleError(InputError):
    code = "CC101"


class BinaryFileError(InputError):
    code = "CC102"


class FileTooLargeError(InputError):
    code = "CC103"


class MalformedRecordError(InputError):
    code = "CC104"


class DuplicateArticleError(InputError):
    code = "CC105"


class UnreadableFileError(InputError):
    code = "CC106"


class ConfigError(ClaimcheckError):
    code = "CC200"


class ConfigValueError(ConfigError):
    """A setting of the wrong type or out of its range (``key`` names it, dotted for a
    table's key: ``hedges.about``)."""

    code = "CC201"

    def __init__(self, key: str, value: object, expected: str, *, path: str | None = None,
                 hint: str | None = None):
        self.key, self.value, self.expected = key, value, expected
        super().__init__(f"{key} = {value!r}: must be {expected}", path=path, hint=hint)


class ModelLoadError(ClaimcheckError):
    code = "CC300"


class GoldFileError(ClaimcheckError):
    code = "CC400"


class StoreError(ClaimcheckError):
    code = "CC500"


class AnalysisError(ClaimcheckError):
    """A story whose analysis failed as a whole (one article's failure is only a problem)."""

    code = "CC700"


class ReportError(ClaimcheckError):
    """A report that cannot be written, or a report file that cannot be read back."""

    code = "CC600"


class EngineError(ClaimcheckError):
    """The engine that analyses stories cannot go on: a missing extra, a cluster that
    cannot be reached or went away.  The run stops; the next one resumes it."""

    code = "CC800"
