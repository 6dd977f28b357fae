"""The form for clerks (``/``): placeholder until the form lands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from conventum.serve.problems import HttpProblem

router = APIRouter()


def wants_page(request: Request) -> bool:
    return False


def problem_page(request: Request, problem: HttpProblem) -> JSONResponse:
    return JSONResponse(problem.body(), status_code=problem.status)
