"""The `.pyi` stubs match the native module: same names, same parameters, same classes."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import replytrack
from replytrack import _native

STUB = Path(replytrack.__file__).with_name("_native.pyi")
TREE = ast.parse(STUB.read_text(encoding="utf-8"))

# Dunders that a stub may declare and the runtime must then have.
CHECKED_DUNDERS = {"__new__", "__eq__", "__len__", "__str__", "__repr__"}


def is_public(name: str) -> bool:
    return not name.startswith("_")


def stub_top_level() -> dict[str, ast.AST]:
    out: dict[str, ast.AST] = {}
    for node in TREE.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
    return out


STUBS = stub_top_level()
STUB_FUNCS = {n: s for n, s in STUBS.items() if isinstance(s, ast.FunctionDef) and is_public(n)}
STUB_CLASSES = {n: s for n, s in STUBS.items() if isinstance(s, ast.ClassDef) and is_public(n)}


def stub_params(fn: ast.FunctionDef, drop_first: bool) -> list[tuple[str, str, object]]:
    """(name, kind, default) per parameter; default is `inspect.Parameter.empty` when none."""
    a = fn.args
    empty = inspect.Parameter.empty
    positional = a.posonlyargs + a.args
    defaults = [empty] * (len(positional) - len(a.defaults)) + list(a.defaults)
    out = []
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "POSITIONAL_ONLY" if i < len(a.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        out.append((arg.arg, kind, default))
    if a.vararg:
        out.append((a.vararg.arg, "VAR_POSITIONAL", empty))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, "KEYWORD_ONLY", empty if default is None else default))
    if a.kwarg:
        out.append((a.kwarg.arg, "VAR_KEYWORD", empty))
    if drop_first and out:
        out = out[1:]
    return out


def runtime_params(obj, drop_self: bool) -> list[tuple[str, str, object]]:
    params = list(inspect.signature(obj).parameters.values())
    if drop_self and params and params[0].name in ("self", "cls", "$self"):
        params = params[1:]
    return [(p.name, p.kind.name, p.default) for p in params]


def assert_same_params(where: str, stub: list, runtime: list) -> None:
    assert [(n, k) for n, k, _ in stub] == [(n, k) for n, k, _ in runtime], where
    for (name, _, s_default), (_, _, r_default) in zip(stub, runtime):
        has_stub = s_default is not inspect.Parameter.empty
        has_runtime = r_default is not inspect.Parameter.empty
        assert has_stub == has_runtime, f"{where}: default of `{name}`"
        if has_stub and r_default is not Ellipsis and not isinstance(s_default, ast.Constant | ast.UnaryOp):
            pytest.fail(f"{where}: default of `{name}` should be a literal in the stub")
        if has_stub and r_default is not Ellipsis:
            assert ast.literal_eval(s_default) == r_default, f"{where}: default of `{name}`"


def runtime_public_names() -> set[str]:
    return {n for n in dir(_native) if is_public(n)}


def test_every_stub_name_exists_at_runtime_and_vice_versa():
    stub_names = {n for n in STUBS if is_public(n)}

    assert stub_names - runtime_public_names() == set(), "in the stub but not at runtime"
    assert runtime_public_names() - stub_names == set(), "at runtime but not in the stub"
    assert "__version__" in STUBS and isinstance(_native.__version__, str)


@pytest.mark.parametrize("name", sorted(STUB_FUNCS))
def test_function_signature_matches(name):
    runtime = getattr(_native, name)

    assert callable(runtime)
    assert_same_params(name, stub_params(STUB_FUNCS[name], drop_first=False), runtime_params(runtime, False))


def class_members(node: ast.ClassDef) -> dict[str, ast.AST]:
    out: dict[str, ast.AST] = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            out[item.name] = item
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            out[item.target.id] = item
    return out


def decorators(fn: ast.FunctionDef) -> set[str]:
    return {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}


@pytest.mark.parametrize("name", sorted(STUB_CLASSES))
def test_class_matches(name):
    node = STUB_CLASSES[name]
    cls = getattr(_native, name)
    assert inspect.isclass(cls), name
    assert [b.id for b in node.bases if isinstance(b, ast.Name)] == [
        b.__name__ for b in cls.__bases__ if b is not object
    ], f"{name}: base classes"

    members = class_members(node)
    if issubclass(cls, BaseException):
        # Exception attributes are set on each raised instance; the raising tests check them.
        assert all(isinstance(m, ast.AnnAssign) for m in members.values()), name
        return

    runtime_members = {n for n in vars(cls) if is_public(n)}
    stub_members = {n for n in members if is_public(n)}
    assert stub_members == runtime_members, f"{name}: public members differ"

    for member, fn in members.items():
        assert isinstance(fn, ast.FunctionDef), f"{name}.{member}: declare members as def/property"
        where = f"{name}.{member}"
        if member.startswith("__") and member not in CHECKED_DUNDERS:
            continue
        if member == "__new__":
            assert_same_params(where, stub_params(fn, drop_first=True), runtime_params(cls, False))
            continue
        if member.startswith("__"):
            assert member in vars(cls), f"{where} missing at runtime"
            continue
        runtime = vars(cls)[member]
        if "property" in decorators(fn):
            assert inspect.isdatadescriptor(runtime), f"{where} should be a property"
            continue
        assert not inspect.isdatadescriptor(runtime), f"{where} is a property at runtime"
        is_static = "staticmethod" in decorators(fn)
        assert isinstance(runtime, staticmethod) == is_static, f"{where}: staticmethod or not"
        assert_same_params(
            where,
            stub_params(fn, drop_first=not is_static),
            runtime_params(getattr(cls, member), drop_self=not is_static),
        )


def test_classes_without_a_stub_constructor_cannot_be_built_from_python():
    for name, node in STUB_CLASSES.items():
        cls = getattr(_native, name)
        if issubclass(cls, BaseException) or "__new__" in class_members(node):
            continue
        with pytest.raises(TypeError):
            cls()


def test_package_re_exports_every_public_native_name():
    exported = set(replytrack.__all__)

    assert runtime_public_names() - exported == set()
    for name in replytrack.__all__:
        assert hasattr(replytrack, name), name


def test_submodules_mirror_the_rust_modules():
    from replytrack import address, enums, errors, message, provider, reply, token

    for module in (address, enums, errors, message, provider, reply, token):
        for name in module.__all__:
            assert getattr(module, name) is getattr(replytrack, name), f"{module.__name__}.{name}"


def raised_by(call) -> BaseException:
    try:
        call()
    except replytrack.ReplytrackError as e:
        return e
    pytest.fail("nothing was raised")


def stub_exception_attributes(name: str) -> set[str]:
    node = STUB_CLASSES[name]
    attrs = {n for n, m in class_members(node).items() if isinstance(m, ast.AnnAssign)}
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in STUB_CLASSES:
            attrs |= stub_exception_attributes(base.id)
    return attrs


def exception_triggers():
    import datetime as dt

    rt = replytrack
    now = dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc)
    secret = rt.Secret.generate()
    ring = rt.Keyring.single(secret, key_id=1)
    authority = rt.TokenAuthority(ring)
    token = authority.issue(now).token
    retired = rt.Keyring.single(secret, key_id=1)
    retired.retire(1, now)
    return {
        "TokenMalformed": lambda: authority.verify("x", now),
        "TokenUnknownKey": lambda: rt.TokenAuthority(rt.Keyring.single(secret, key_id=2)).verify(token, now),
        "TokenKeyRetired": lambda: rt.TokenAuthority(retired).verify(token, now),
        "TokenNotYetValid": lambda: authority.verify(
            authority.issue(now + dt.timedelta(days=1)).token, now
        ),
        "TokenExpired": lambda: authority.verify(token, now + dt.timedelta(days=200)),
        "TokenForged": lambda: rt.TokenAuthority(ring, domain="other.example").verify(token, now),
        "MalformedInput": lambda: rt.parse_email(b""),
        "SignatureError": lambda: rt.verify_mailgun_signature("k", "x", "t", "s"),
        "AuthError": lambda: rt.check_basic_auth(None, "u", "p"),
        "ConfigError": lambda: rt.Secret(b"short"),
    }


@pytest.mark.parametrize("name", sorted(exception_triggers()))
def test_raised_exceptions_carry_the_attributes_the_stub_declares(name):
    err = raised_by(exception_triggers()[name])

    assert type(err).__name__ == name
    missing = {a for a in stub_exception_attributes(name) if not hasattr(err, a)}
    assert missing == set()
