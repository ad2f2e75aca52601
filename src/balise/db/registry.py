"""Imports every package's models so that Alembic and tests see the whole schema."""

from balise.answers import models as _answers  # noqa: F401
from balise.assistant import models as _assistant  # noqa: F401
from balise.audit import models as _audit  # noqa: F401
from balise.citizen import models as _citizen  # noqa: F401
from balise.db.base import Base
from balise.documents import models as _documents  # noqa: F401
from balise.evaluation.bias import tables as _bias  # noqa: F401
from balise.evaluation.runs import tables as _eval_runs  # noqa: F401
from balise.gateway import tables as _gateway  # noqa: F401
from balise.governance import adoption_models as _adoption  # noqa: F401
from balise.governance import models as _governance  # noqa: F401
from balise.governance import roadmap_models as _roadmap  # noqa: F401
from balise.governance import shadow_models as _shadow_ai  # noqa: F401
from balise.governance import swiss_models as _swiss  # noqa: F401
from balise.guard.policy import models as _policy  # noqa: F401
from balise.guard.privacy import models as _privacy  # noqa: F401
from balise.jobs import models as _jobs  # noqa: F401
from balise.media import tables as _media  # noqa: F401
from balise.memento import tables as _memento  # noqa: F401
from balise.pilot import tables as _pilot  # noqa: F401
from balise.pooling import tables as _pooling  # noqa: F401
from balise.review import models as _review  # noqa: F401
from balise.search import models as _search  # noqa: F401
from balise.survey import tables as _survey  # noqa: F401
from balise.tenancy import models as _tenancy  # noqa: F401
from balise.training import tables as _training  # noqa: F401

metadata = Base.metadata
