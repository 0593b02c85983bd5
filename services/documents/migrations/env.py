from services.documents.models import Base
from shared.db.alembic_env import run_env

run_env(Base.metadata)
