"""What refuses an import: each problem with its stable code, its French message and its place."""

from __future__ import annotations

from dataclasses import dataclass

from conventum.word.recognition.places import Place


@dataclass(frozen=True)
class ImportProblem:
    """One reason a Word file cannot become a type, where it is in the document."""

    code: str
    message: str
    place: Place | None = None

    def describe(self) -> str:
        return f"{self.place.describe()} : {self.message}" if self.place else self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "lieu": self.place.as_dict() if self.place else None,
        }
