"""The kernel manager of a build: its kernels carry the build's marker in their environment, and are
forked from the build's zygote when it has one (`pipeline.processes.zygote`)."""

from __future__ import annotations

import os
import uuid
from typing import Any

from jupyter_client import AsyncKernelManager
from traitlets import Any as AnyTrait
from traitlets import Dict, Unicode


class BuildKernelManager(AsyncKernelManager):
    """Adds the build's marker (`pipeline.processes.owned`) to the kernel's environment, so the build
    can find the kernel – and anything a cell starts – wherever the executor ran it."""

    marker = Dict(
        key_trait=Unicode(), value_trait=Unicode(), help="variables added to the kernel's environment"
    ).tag(config=True)
    zygote = AnyTrait(None, allow_none=True, help="the build's zygote (None: a fresh kernel)").tag(
        config=True
    )

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        kw["env"] = {**kw.get("env", os.environ), **self.marker}
        if self.zygote is not None and self.provisioner is None:
            from rapportbok.pipeline.processes.zygote import ForkedProvisioner

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            provisioner = ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            provisioner.zygote = self.zygote
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)
