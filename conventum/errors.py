"""The one exception hierarchy of conventum, each class with its CLI exit code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conventum.issues import Issue


class ExitCode:
    """Exit codes of the ``conventum`` command, one per kind of failure."""

    OK = 0
    WARNINGS = 1
    USAGE = 2
    DATA_FILE = 3
    UNKNOWN_TYPE = 4
    INVALID_DATA = 5
    TEMPLATE = 6
    CONVERSION = 7
    OUTPUT = 8
    REGISTER = 9  # the register cannot be opened: not a database, not conventum's, newer, unreachable
    UNKNOWN_RECORD = 10  # no convention of that number in the register
    DUPLICATE = 11  # the convention is already in the register (same SHA-256)
    REGISTER_BUSY = 12  # another process held the register longer than the wait allowed
    TERMINATED = 13  # the convention is résiliée: it is not résiliée or re-signed again
    EXPIRED = 14  # the convention has come to its end: no avenant amends it
    # Signing and verifying (conventum signer / verifier), from 40 on.
    SECRET_REFUSED = 40  # wrong password of the PKCS#12 file, wrong PIN of the token
    KEY_UNAVAILABLE = 41  # no PKCS#12 file, token or key of that name, or unreadable
    CERTIFICATE_OUT_OF_DATE = 42  # the signer's certificate is expired or not yet valid
    CERTIFICATE_NOT_FOR_SIGNING = 43  # the certificate's key usage does not allow signing
    UNKNOWN_FIELD = 44  # no signature field of that name or number (the fields are listed)
    FIELD_ALREADY_SIGNED = 45
    NOT_SIGNABLE = 46  # not a conventum PDF (no signature field), encrypted, unreadable
    TIMESTAMP = 47  # the time-stamping authority did not answer or answered wrong
    SIGNATURE_INVALID = 48  # a signature is broken: the document changed after it, or not as allowed
    SIGNATURE_UNTRUSTED = 49  # signatures intact, but a signer's chain leads to no trusted root
    UNSIGNED = 50  # verifying: the document carries no signature
    BROKER = 20  # the task queue's broker (Redis) unreachable: conventum serve/worker --file
    STORAGE = 21  # the shared storage (S3, folder) unreachable: conventum serve/worker --stockage
    INTERRUPTED = 130


class ConventumError(Exception):
    """Base class of every error conventum raises on purpose."""

    exit_code: int = 1
    kind = "erreur"  # its stable name in machine-readable reports

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ConventumError):
    """The caller asked for something that does not make sense."""

    exit_code = ExitCode.USAGE
    kind = "usage"


class DataFileError(ConventumError):
    """A data file cannot be read or parsed."""

    exit_code = ExitCode.DATA_FILE
    kind = "fichier_donnees"

    def __init__(
        self, message: str, *, path: str, line: int | None = None, column: int | None = None
    ) -> None:
        where = path if line is None else f"{path}, ligne {line}, colonne {column}"
        super().__init__(f"{where} : {message}")
        self.path = path
        self.line = line
        self.column = column


class UnknownTypeError(ConventumError):
    """No convention type of that name is installed."""

    exit_code = ExitCode.UNKNOWN_TYPE
    kind = "type_inconnu"

    def __init__(self, name: str, *, available: Sequence[str], suggestions: Sequence[str]) -> None:
        hint = f" Vouliez-vous dire : {', '.join(suggestions)} ?" if suggestions else ""
        super().__init__(f"Type de convention inconnu : « {name} ».{hint}")
        self.name = name
        self.available = list(available)
        self.suggestions = list(suggestions)


class ValidationFailed(ConventumError):
    """The data holds errors: nothing is rendered."""

    exit_code = ExitCode.INVALID_DATA
    kind = "donnees_invalides"

    def __init__(
        self,
        issues: Sequence[Issue],
        *,
        data: Mapping[str, Any] | None = None,
        ctype: object = None,
    ) -> None:
        errors = [issue for issue in issues if issue.severity == "error"]
        super().__init__(f"Les données contiennent {len(errors)} erreur(s).")
        self.issues = list(issues)
        self.data = data  # to name the parties in the report
        self.ctype = ctype  # the ConventionType, to label the sections of the report


class CalculationError(ValidationFailed):
    """The data do not allow a computation (no grid in force, no coordinator…): its issues, with paths."""

    kind = "calcul_impossible"

    def __init__(self, issues: Sequence[Issue] = ()) -> None:
        super().__init__(issues)


class TieError(ConventumError):
    """A tie with no casting vote: the figures alone do not decide the outcome."""

    exit_code = ExitCode.INVALID_DATA
    kind = "partage_des_voix"


class TemplateError(ConventumError):
    """A template is broken, or rendering it produced an invalid document."""

    exit_code = ExitCode.TEMPLATE
    kind = "modele"

    def __init__(self, message: str, *, template: str | None = None) -> None:
        super().__init__(message)
        self.template = template


class ImportRefused(TemplateError):
    """A Word file cannot become a type (nothing to import, a party twice, a foreign file…):
    every problem with its code and its place in the document; nothing was written."""

    kind = "import_refuse"

    def __init__(self, problems: Sequence[Any], *, source: str) -> None:
        lines = [problem.describe() for problem in problems]
        if len(lines) == 1:
            message = f"{source} : {lines[0]}"
        else:
            message = f"{source} : {len(lines)} problèmes, rien n’est écrit\n" + "\n".join(
                f"  - {line}" for line in lines
            )
        super().__init__(message, template=source)
        self.problems = list(problems)


class GeographyDataError(ConventumError):
    """The official geography shipped with conventum is missing, truncated or corrupt (reinstall it)."""

    exit_code = ExitCode.TEMPLATE
    kind = "referentiel"

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(f"{path} : {message}")
        self.path = path


class ConversionError(ConventumError):
    """LibreOffice is missing, failed, or produced no usable PDF."""

    exit_code = ExitCode.CONVERSION
    kind = "conversion"


class DeadlineError(ConversionError):
    """The deadline of a request passed between two steps of its work (``conventum serve``)."""

    kind = "delai"


class OutputError(ConventumError):
    """The output cannot be written (exists and replacing it was not asked, or disk error)."""

    exit_code = ExitCode.OUTPUT
    kind = "sortie"

    def __init__(self, message: str, *, path: str, remedies: dict[str, str] | None = None) -> None:
        """``remedies``: the arguments that would let it through and what each does, e.g.
        ``{"force": "le remplacer"}``; the library says ``force=True``, the command its flag."""
        self.base = message
        self.remedies = dict(remedies or {})
        if self.remedies:
            message += (
                " (" + " ou ".join(f"{arg}=True pour {why}" for arg, why in self.remedies.items()) + ")"
            )
        super().__init__(message)
        self.path = path


class RegisterError(ConventumError):
    """The register of conventions cannot be opened or written (nothing of the change is kept)."""

    exit_code = ExitCode.REGISTER
    kind = "registre"


class UnknownRecordError(RegisterError):
    """No convention of that number in the register."""

    exit_code = ExitCode.UNKNOWN_RECORD
    kind = "registre_numero_inconnu"


class DuplicateRecordError(RegisterError):
    """The same document (same SHA-256) is already in the register, under ``record``."""

    exit_code = ExitCode.DUPLICATE
    kind = "registre_doublon"

    def __init__(self, message: str, *, record: int) -> None:
        super().__init__(message)
        self.record = record


class RegisterBusyError(RegisterError):
    """Another process kept the register locked longer than the wait allowed."""

    exit_code = ExitCode.REGISTER_BUSY
    kind = "registre_occupe"


class TerminatedRecordError(RegisterError):
    """The convention is already résiliée: no second résiliation, no new signature date."""

    exit_code = ExitCode.TERMINATED
    kind = "registre_resiliee"


class ExpiredRecordError(RegisterError):
    """The convention has reached its final end: an avenant can no longer amend it."""

    exit_code = ExitCode.EXPIRED
    kind = "registre_expiree"


class SignatureError(ConventumError):
    """Signing cannot be done, or verifying cannot read the document; nothing is written."""

    exit_code = ExitCode.NOT_SIGNABLE
    kind = "signature_impossible"


class SecretRefusedError(SignatureError):
    """The PKCS#12 password or the token's PIN is wrong."""

    exit_code = ExitCode.SECRET_REFUSED
    kind = "secret_refuse"


class KeyUnavailableError(SignatureError):
    """The PKCS#12 file, the token or the key cannot be found or read."""

    exit_code = ExitCode.KEY_UNAVAILABLE
    kind = "cle_introuvable"


class CertificateOutOfDateError(SignatureError):
    """The signer's certificate is expired or not yet valid."""

    exit_code = ExitCode.CERTIFICATE_OUT_OF_DATE
    kind = "certificat_hors_validite"


class CertificateNotForSigningError(SignatureError):
    """The certificate's key usage does not allow electronic signatures."""

    exit_code = ExitCode.CERTIFICATE_NOT_FOR_SIGNING
    kind = "certificat_sans_usage_signature"


class UnknownFieldError(SignatureError):
    """No signature field answers to the name or number given; ``fields`` lists those there are."""

    exit_code = ExitCode.UNKNOWN_FIELD
    kind = "champ_inconnu"

    def __init__(self, message: str, *, fields: Sequence[str]) -> None:
        super().__init__(message)
        self.fields = list(fields)


class FieldAlreadySignedError(SignatureError):
    """The field asked for already holds a signature."""

    exit_code = ExitCode.FIELD_ALREADY_SIGNED
    kind = "champ_deja_signe"


class TimestampError(SignatureError):
    """The time-stamping authority did not answer, or its answer is unusable."""

    exit_code = ExitCode.TIMESTAMP
    kind = "horodatage"


class SignatureInvalidError(SignatureError):
    """A signature already in the document is broken (the document changed after it)."""

    exit_code = ExitCode.SIGNATURE_INVALID
    kind = "signature_invalide"


class NotSignableError(SignatureError):
    """Not a conventum PDF (no signature field), encrypted, or unreadable."""

    exit_code = ExitCode.NOT_SIGNABLE
    kind = "document_non_signable"


class UnsignedError(SignatureError):
    """Verifying a document that carries no signature."""

    exit_code = ExitCode.UNSIGNED
    kind = "document_non_signe"


class ClusterError(ConventumError):
    """The task queue or the shared storage of a distributed ``conventum serve`` is unreachable."""

    exit_code = ExitCode.BROKER
    kind = "service_distribue"


class BrokerError(ClusterError):
    """The broker (Redis) of the task queue cannot be reached or refuses us."""

    exit_code = ExitCode.BROKER
    kind = "file_injoignable"


class StorageError(ClusterError):
    """The shared storage (an S3 bucket or a folder) cannot be reached, read or written."""

    exit_code = ExitCode.STORAGE
    kind = "stockage_injoignable"


class StorageFullError(StorageError):
    """The shared storage has no room left (disk full, quota): a job is failed, not retried."""

    kind = "stockage_plein"
