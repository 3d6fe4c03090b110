"""The kernel manager of a build: its kernels carry the build's marker in their environment."""

from __future__ import annotations

import os
from typing import Any

from jupyter_client import AsyncKernelManager
from traitlets import Dict, Unicode


class BuildKernelManager(AsyncKernelManager):
    """Adds the build's marker (`pipeline.processes.owned`) to the kernel's environment, so the build
    can find the kernel – and anything a cell starts – wherever the executor ran it."""

    marker = Dict(
        key_trait=Unicode(), value_trait=Unicode(), help="variables added to the kernel's environment"
    ).tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        kw["env"] = {**kw.get("env", os.environ), **self.marker}
        return await super()._async_pre_start_kernel(**kw)
