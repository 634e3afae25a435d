"""Programming language from a file name: the documented map stage 01 uses.

The Seed-Coder report keeps code in 89 languages and lists the most common first (Python, Java,
C, C++, JavaScript, TypeScript, C#, Go, PHP, Rust, ...). The kit maps extensions and a few whole
file names onto lower-case language names; the map covers those top languages plus some more,
and says for each which tree-sitter grammar (from tree-sitter-language-pack 0.13.0, which
bundles its grammars, so it works offline) checks its syntax.

Data and document formats (JSON, CSV, YAML, ...) are named as such so the language step can drop
them with the reason ``data_format`` rather than ``unknown_language``: the report removes data
files from the code corpus.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# language -> extensions (lower-case, with dot) and tree-sitter grammar name (None = no check)
LANGUAGES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "python": ((".py", ".pyi", ".pyw"), "python"),
    "java": ((".java",), "java"),
    "c": ((".c", ".h"), "c"),
    "cpp": ((".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx", ".c++", ".h++"), "cpp"),
    "javascript": ((".js", ".mjs", ".cjs", ".jsx"), "javascript"),
    "typescript": ((".ts", ".mts", ".cts"), "typescript"),
    "tsx": ((".tsx",), "tsx"),
    "csharp": ((".cs",), "csharp"),
    "go": ((".go",), "go"),
    "php": ((".php",), "php"),
    "rust": ((".rs",), "rust"),
    "ruby": ((".rb",), "ruby"),
    "kotlin": ((".kt", ".kts"), "kotlin"),
    "swift": ((".swift",), "swift"),
    "scala": ((".scala", ".sc"), "scala"),
    "shell": ((".sh", ".bash", ".zsh"), "bash"),
    "sql": ((".sql",), None),  # SQL dialects differ too much for one grammar to judge
    "html": ((".html", ".htm"), "html"),
    "css": ((".css",), "css"),
    "lua": ((".lua",), "lua"),
    "r": ((".r",), "r"),
    "haskell": ((".hs",), "haskell"),
    "perl": ((".pl", ".pm"), "perl"),
    "dart": ((".dart",), "dart"),
    "julia": ((".jl",), "julia"),
    "elixir": ((".ex", ".exs"), "elixir"),
    "ocaml": ((".ml", ".mli"), "ocaml"),
    "zig": ((".zig",), "zig"),
    "objective-c": ((".m",), "objc"),
    "fortran": ((".f90", ".f95", ".f03"), "fortran"),
    "powershell": ((".ps1", ".psm1"), "powershell"),
    "markdown": ((".md", ".markdown"), None),  # prose with code: kept, never syntax-dropped
    "makefile": ((".mk",), None),
    "dockerfile": ((".dockerfile",), None),
}

# whole file names that carry a language without an extension
FILENAMES: dict[str, str] = {
    "makefile": "makefile", "gnumakefile": "makefile", "dockerfile": "dockerfile",
    "rakefile": "ruby", "gemfile": "ruby", "cmakelists.txt": "cmake",
}

# formats that are data or documents, not code: dropped with reason "data_format"
DATA_FORMATS: dict[str, str] = {
    ".json": "json", ".jsonl": "json", ".csv": "csv", ".tsv": "csv", ".yaml": "yaml", ".yml": "yaml",
    ".xml": "xml", ".toml": "toml", ".ini": "ini", ".cfg": "ini", ".lock": "lockfile", ".svg": "svg",
    ".txt": "text", ".rst": "text", ".log": "text", ".pdf": "pdf", ".ipynb": "notebook-json",
}

EXTENSION_TO_LANGUAGE: dict[str, str] = {ext: lang for lang, (exts, _) in LANGUAGES.items() for ext in exts}
# the cmake name above has no grammar entry: give it one so lookups stay total
LANGUAGES.setdefault("cmake", ((".cmake",), None))
EXTENSION_TO_LANGUAGE[".cmake"] = "cmake"


def language_of(path: str) -> tuple[str | None, str | None]:
    """(language, None) for a code file; (None, "data_format:<fmt>") or (None, "unknown_language")."""
    p = PurePosixPath(path.replace("\\", "/"))
    name = p.name.lower()
    if name in FILENAMES:
        return FILENAMES[name], None
    ext = p.suffix.lower()
    if ext in EXTENSION_TO_LANGUAGE:
        return EXTENSION_TO_LANGUAGE[ext], None
    if ext in DATA_FORMATS:
        return None, f"data_format:{DATA_FORMATS[ext]}"
    return None, "unknown_language"


def grammar_of(language: str) -> str | None:
    """tree-sitter grammar name for a language, None when the kit does not syntax-check it."""
    entry = LANGUAGES.get(language)
    return entry[1] if entry else None
