"""Admin pages: placeholder until filled in."""
from flask import Blueprint, render_template

from hub.web.auth import requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@requires("admin")
def index():
    return render_template("admin/index.html")
