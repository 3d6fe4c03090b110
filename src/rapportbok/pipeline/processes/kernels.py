"""The kernel manager of a build: its kernels carry the build's marker in their environment, and are
forked from the build's zygote when it has one (`pipeline.processes.zygote`)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import psutil
from jupyter_client import AsyncKernelManager
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner
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
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            provisioner = ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            provisioner.zygote = self.zygote
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)


def end_kernel(manager: AsyncKernelManager) -> None:
    """End the kernel of `manager` at once (nothing of it is needed any more); errors are ignored."""
    from jupyter_core.utils import run_sync

    with suppress(Exception):
        run_sync(manager.shutdown_kernel)(now=True)


class ForkedProcess:
    """The forked kernel, as jupyter_client's provisioner uses a `Popen` (it is the zygote's child)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self._process = None

    def poll(self) -> int | None:
        if self.returncode is None and not self._alive():
            self.returncode = -signal.SIGKILL  # the zygote collected its exit code
        return self.returncode

    def _alive(self) -> bool:
        try:
            return self._process is not None and self._process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def wait(self, timeout: float | None = None) -> int:
        """The exit code once the kernel ended (jupyter_client calls it after `poll` said so)."""
        while (code := self.poll()) is None:
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        """Signal the kernel if it still runs (its pid is not reused while the object knows it)."""
        if self._process is not None and self._alive():
            with suppress(psutil.NoSuchProcess):
                self._process.send_signal(signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """Starts the kernel by forking the build's zygote; anything it cannot fork starts fresh."""

    zygote: Any = None  # a zygote.Zygote

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if self.zygote is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        env = dict(kwargs.get("env") or os.environ)
        pid = await asyncio.to_thread(self.zygote.fork, cmd, cwd, env)
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # the kernel leads its own session, as launch_kernel's does
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            await super().send_signal(signum)
