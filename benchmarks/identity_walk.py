"""Walk the book's identity from a function: which functions and modules the values pass through, and how
often the code climbs back up with `.parent` (issue 25: "a walk of `year` from `cli._check` climbs back
up 28 times").

Static and approximate, by the AST of src/rapportbok: starting from the given parameters of the start
function, a name is tainted when it is assigned from an expression that uses a tainted name; a call whose
arguments use a tainted name is followed into the function it resolves to (a function of the module or
imported from the package, a class's method or property by name, and for a call of a local name, every
function listed in a module-level tuple or list of the calling module — a list of checks), with the
parameters those arguments bind tainted. A climb is a `.parent` or `.parents` of a tainted expression.

    .venv/bin/python benchmarks/identity_walk.py [SRC] [--start rapportbok.cli:_check] [--params year,org_dir]
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "rapportbok"


@dataclass
class Function:
    module: str
    name: str  # "f" or "Class.f"
    node: ast.FunctionDef
    is_method: bool

    @property
    def key(self) -> str:
        return f"{self.module}:{self.name}"

    @property
    def params(self) -> list[str]:
        args = self.node.args
        names = [a.arg for a in args.posonlyargs + args.args]
        return names + [a.arg for a in args.kwonlyargs]


@dataclass
class Index:
    functions: dict[str, Function] = field(default_factory=dict)
    imports: dict[str, dict[str, str]] = field(default_factory=dict)  # module → local name → module:name
    by_method: dict[str, list[Function]] = field(default_factory=dict)  # method/property name → methods
    sequences: dict[str, list[str]] = field(default_factory=dict)  # module → names in module-level lists


def _module_name(src: Path, path: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def index(src: Path) -> Index:
    found = Index()
    for path in sorted((src / PACKAGE).rglob("*.py")):
        module = _module_name(src, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = found.imports.setdefault(module, {})
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
                for alias in node.names:
                    imports[alias.asname or alias.name] = f"{node.module}:{alias.name}"
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                found.functions[f"{module}:{node.name}"] = Function(module, node.name, node, False)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        function = Function(module, f"{node.name}.{item.name}", item, True)
                        found.functions[function.key] = function
                        found.by_method.setdefault(item.name, []).append(function)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
                node.value, ast.Tuple | ast.List
            ):
                names = [element.id for element in node.value.elts if isinstance(element, ast.Name)]
                found.sequences.setdefault(module, []).extend(names)
    return found


def _resolve(found: Index, module: str, name: str, depth: int = 0) -> Function | None:
    """The function `name` means in `module` (defined there, or imported, following re-exports)."""
    if f"{module}:{name}" in found.functions:
        return found.functions[f"{module}:{name}"]
    target = found.imports.get(module, {}).get(name)
    if target is None or depth > 5:
        return None
    target_module, target_name = target.split(":")
    init = found.functions.get(f"{target_module}:{target_name}.__init__")
    return init or _resolve(found, target_module, target_name, depth + 1)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _targets(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _tainted_names(function: Function, params: set[str]) -> set[str]:
    tainted = set(params)
    changed = True
    while changed:
        changed = False
        for node in ast.walk(function.node):
            pairs: list[tuple[ast.AST, ast.AST]] = []
            if isinstance(node, ast.Assign):
                pairs = [(target, node.value) for target in node.targets]
            elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and node.value is not None:
                pairs = [(node.target, node.value)]
            elif isinstance(node, ast.For | ast.comprehension):
                pairs = [(node.target, node.iter)]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                pairs = [(node.optional_vars, node.context_expr)]
            for target, value in pairs:
                if _names(value) & tainted and not _targets(target) <= tainted:
                    tainted |= _targets(target)
                    changed = True
    return tainted


def _calls(function: Function, found: Index, tainted: set[str]) -> Iterator[tuple[Function, set[str]]]:
    """Each function called with a tainted argument, and the parameters those arguments bind."""
    for node in ast.walk(function.node):
        if isinstance(node, ast.Attribute) and _names(node.value) & tainted:
            for method in found.by_method.get(node.attr, []):
                decorators = {ast.unparse(d) for d in method.node.decorator_list}
                if decorators & {"property", "cached_property"}:
                    yield method, {method.params[0]}
        if not isinstance(node, ast.Call):
            continue
        positional = [bool(_names(arg) & tainted) for arg in node.args]
        keywords = {k.arg for k in node.keywords if k.arg and _names(k.value) & tainted}
        receiver = isinstance(node.func, ast.Attribute) and bool(_names(node.func.value) & tainted)
        if not (any(positional) or keywords or receiver):
            continue
        callees = _callees(function, found, node, receiver)
        for callee in callees:
            params = (
                callee.params[1:]
                if callee.is_method and callee.params[:1] in (["self"], ["cls"])
                else callee.params
            )
            bound = {params[i] for i, hit in enumerate(positional) if hit and i < len(params)}
            bound |= keywords & set(params)
            if receiver and callee.is_method and callee.params[:1] == ["self"]:
                bound.add("self")
            if bound:
                yield callee, bound


def _callees(function: Function, found: Index, node: ast.Call, receiver: bool) -> list[Function]:
    """The functions a call may reach: by name, a function held in a variable (a list of checks), a
    module's function or a method of the book's values."""
    callees: list[Function] = []
    if isinstance(node.func, ast.Name):
        callee = _resolve(found, function.module, node.func.id)
        if callee is not None:
            callees = [callee]
        elif node.func.id in _locals(function):  # a function held in a variable: a list of checks
            for module in {function.module, *_modules_of_sequences(found, function)}:
                callees += [
                    f for name in found.sequences.get(module, []) if (f := _resolve(found, module, name))
                ]
    elif isinstance(node.func, ast.Attribute):
        owner = node.func.value
        if isinstance(owner, ast.Name) and (callee := _resolve(found, function.module, owner.id)):
            key = f"{callee.module}:{callee.name.split('.')[0]}.{node.func.attr}"
            callees = [found.functions[key]] if key in found.functions else []
        elif receiver or len(found.by_method.get(node.func.attr, [])) == 1:
            callees = found.by_method.get(node.func.attr, [])  # by name: a method of the book's values
    return callees


def _locals(function: Function) -> set[str]:
    """The names bound inside the function: its parameters and every assignment or loop target."""
    bound = set(function.params)
    for node in ast.walk(function.node):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def _modules_of_sequences(found: Index, function: Function) -> set[str]:
    """The modules whose module-level lists the function's module imports names of."""
    imported = found.imports.get(function.module, {}).values()
    return {
        target.split(":")[0]
        for target in imported
        if target.split(":")[1] in found.sequences.get(target.split(":")[0], [])
    }


def walk(src: Path, start: str, params: set[str]) -> tuple[dict[str, set[str]], int, list[str]]:
    found = index(src)
    seen: dict[str, set[str]] = {}
    climbs: list[str] = []
    waiting = [(found.functions[start], params)]
    while waiting:
        function, bound = waiting.pop()
        before = seen.get(function.key, set())
        if function.key in seen and bound <= before:
            continue
        seen[function.key] = before | bound
        tainted = _tainted_names(function, seen[function.key])
        waiting += list(_calls(function, found, tainted))
    for key, bound in seen.items():
        function = found.functions[key]
        tainted = _tainted_names(function, bound)
        for node in ast.walk(function.node):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("parent", "parents")
                and _names(node.value) & tainted
            ):
                climbs.append(f"{key}:{node.lineno}")
    return seen, len(climbs), climbs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", type=Path, default=Path("src"))
    parser.add_argument("--start", default="rapportbok.cli:_check")
    parser.add_argument("--params", default="year,org_dir,book")
    parser.add_argument("--list", action="store_true", help="list the functions and the climbs")
    args = parser.parse_args()
    seen, count, climbs = walk(args.src, args.start, set(args.params.split(",")))
    modules = {key.split(":")[0] for key in seen}
    print(f"functions visited: {len(seen)}; modules: {len(modules)}; climbs (.parent): {count}")
    if args.list:
        for key in sorted(seen):
            print(f"  {key}({', '.join(sorted(seen[key]))})")
        for climb in climbs:
            print(f"  climb {climb}")


if __name__ == "__main__":
    main()
