"""Run a format's writer over the scenario into memory: file name -> bytes."""

from __future__ import annotations

import io

from hub.export.formats import export_format
from tests.unit.export import scenario


def render(format_name: str, preview: bool = False, sheets=None, context=None) -> dict[str, bytes]:
    fmt = export_format(format_name)
    context = context or scenario.context(preview, fmt.provider)
    names = fmt.file_names(context.period, context.settings, context.preview)
    files = [io.StringIO(newline=fmt.newline) for _ in names]
    fmt.write(iter(scenario.sheets() if sheets is None else sheets), context, files)
    return {name: f.getvalue().encode(fmt.encoding) for name, f in zip(names, files)}
