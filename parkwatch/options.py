"""Option types shared by the command modules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

DateOpt = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], show_default=False)]
