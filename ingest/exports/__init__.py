"""Committee-meeting exports (ESDH / meeting systems) recognised by their manifests.

`find_exports(tree)` reads every SBSYS, eDoc, Fujitsu eDoc and Acadre manifest in an export's files into
`MeetingExport`s; `FolderTree` (or `MemoryTree`) is the view of those files it reads through.
"""

from ingest.exports.detect import detect_system, find_exports
from ingest.exports.models import AgendaItem, Enclosure, ItemField, MeetingExport
from ingest.exports.tree import ExportTree, FolderTree, MemoryTree, resolve
from ingest.exports.xmlread import ManifestError

__all__ = [
    "AgendaItem",
    "Enclosure",
    "ExportTree",
    "FolderTree",
    "ItemField",
    "ManifestError",
    "MeetingExport",
    "MemoryTree",
    "detect_system",
    "find_exports",
    "resolve",
]
