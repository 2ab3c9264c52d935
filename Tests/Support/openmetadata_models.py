"""OpenMetadata's own generated models, for tests that must validate documents against them.

The `openmetadata-ingestion` wheel is installed without its dependencies (see
scripts/ci/requirements/openmetadata.txt): its top-level `metadata/__init__.py` imports the whole
ingestion framework, while the generated models under `metadata.generated.schema` need only
pydantic. This module registers an empty `metadata` package that points at the wheel's folder, so
the models import without the framework.

    import openmetadata_models as om
    om.ChangeEvent.model_validate_json(body)
"""
import importlib.util
import sys
import types

_spec = importlib.util.find_spec("metadata")
if _spec is None or not _spec.submodule_search_locations:
    raise ImportError("openmetadata-ingestion is not installed: run scripts/ci/python-deps.sh")
if "metadata" not in sys.modules or not hasattr(sys.modules["metadata"], "__path__"):
    _pkg = types.ModuleType("metadata")
    _pkg.__path__ = list(_spec.submodule_search_locations)
    sys.modules["metadata"] = _pkg

# The models' after-validators also run the ingestion framework's entity-name transformer
# (custom_basemodel_validation.py), which on every validation imports its table of transformable
# models. Two of those modules need packages the wheel's models do not (it is installed without
# its dependencies): metadata.profiler.api.models (sqlalchemy) and metadata.utils.entity_link
# (antlr4). Each validation then re-ran the failing imports (milliseconds each) and logged a
# warning. Placeholders for those two modules let the table load once, with the real entries for
# Table and its columns; the profiler's and the entity-link parser's models are not used by tests.
import logging


def _placeholder(module, name):
    m = types.ModuleType(module)
    setattr(m, name, type(name, (), {}))
    sys.modules.setdefault(module, m)


_placeholder("metadata.profiler.api.models", "ProfilerResponse")
_placeholder("metadata.utils.entity_link", "CustomColumnName")
logging.getLogger("metadata").setLevel(logging.ERROR)

from metadata.generated.schema.type.changeEvent import ChangeEvent  # noqa: E402
from metadata.generated.schema.entity.data.table import Table  # noqa: E402
from metadata.generated.schema.entity.data.database import Database  # noqa: E402
from metadata.generated.schema.entity.data.databaseSchema import DatabaseSchema  # noqa: E402
from metadata.generated.schema.metadataIngestion.reverseIngestionPipeline import (  # noqa: E402
    ReverseIngestionPipeline,
)
from metadata.generated.schema.entity.services.ingestionPipelines.reverseIngestionResponse import (  # noqa: E402
    ReverseIngestionResponse,
)

__all__ = ["ChangeEvent", "Table", "Database", "DatabaseSchema", "ReverseIngestionPipeline", "ReverseIngestionResponse"]
