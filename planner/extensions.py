"""The Flask extension singletons, nothing else."""

from flask_babel import Babel
from flask_sqlalchemy_lite import SQLAlchemy
from flask_wtf import CSRFProtect

db = SQLAlchemy()
csrf = CSRFProtect()
babel = Babel()
