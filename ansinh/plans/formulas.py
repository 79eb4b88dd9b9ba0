"""Formulas of derived indicators: + - * / and parentheses over indicator codes and numbers.

`poor_households / households * 100`; a part is written `code.breakdown`
(`poor_households.khmer / khmer_households * 100`). Parsed once with Python's `ast`, never
`eval`ed: only these node types are accepted.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Key = tuple[str, str]  # (indicator code, breakdown code or "")
_OPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr

    def evaluate(self, values: Mapping[Key, float]) -> float | None:
        """The value, or None when a name has no value or a division is by zero."""
        try:
            return _eval(self.tree, values)
        except (KeyError, ZeroDivisionError):
            return None


def _name(node: ast.expr) -> Key:
    if isinstance(node, ast.Name):
        return (node.id, "")
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return (node.value.id, node.attr)
    return ("", "")


def _eval(node: ast.expr, values: Mapping[Key, float]) -> float:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, values)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    return values[_name(node)]


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPS:
            raise ValueError
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        pass
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        pass
    elif not isinstance(node, ast.Name):
        raise ValueError


@lru_cache(maxsize=512)
def parse(text: str) -> Formula:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        _check(tree)
    except (SyntaxError, ValueError):
        raise ValidationError(
            _("“%(formula)s” is not a formula: use indicator codes, numbers, + - * / and parentheses.")
            % {"formula": text}
        ) from None
    return Formula(text=text, tree=tree)


def names(text: str) -> set[Key]:
    """The (code, breakdown) pairs a formula reads."""
    tree = parse(text).tree
    bases = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    return {_name(n) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) or (isinstance(n, ast.Name) and id(n) not in bases)}


_TOKEN = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z0-9_]+))?\b")


def in_words(text: str, names: Mapping[str, str], parts: Mapping[Key, str] | None = None) -> str:
    """A formula as an officer reads it, the codes replaced by the indicators' names:
    `poor_households / households * 100` → "Số hộ nghèo / Tổng số hộ × 100"; a part
    `poor_households.khmer` → "Số hộ nghèo (Khmer)". A code without a name stays as written."""
    parts = parts or {}

    def name(match: re.Match[str]) -> str:
        code, breakdown = match.group(1), match.group(2)
        if code not in names:
            return match.group(0)
        if breakdown:
            return f"{names[code]} ({parts.get((code, breakdown), breakdown)})"
        return names[code]

    return _TOKEN.sub(name, text).replace("*", "×")
