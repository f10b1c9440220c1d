"""Sign-in, password and second-factor forms (Flask-WTF, so every POST carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

# Long enough for any passphrase the policy accepts, short enough to bound the hashing.
_PASSWORD_FIELD_MAX = 1024


class LoginForm(FlaskForm):
    """Email and password."""

    email = StringField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=_PASSWORD_FIELD_MAX)]
    )
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Nothing but the CSRF token: signing out is a POST."""


class CodeForm(FlaskForm):
    """A 6-digit authenticator code, or a recovery code."""

    code = StringField("Code", validators=[DataRequired(), Length(max=40)])


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=_PASSWORD_FIELD_MAX)]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired(), Length(max=_PASSWORD_FIELD_MAX)]
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The new passwords differ.")],
    )


class DisableMfaForm(FlaskForm):
    """The password and a current code, to turn the second factor off."""

    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=_PASSWORD_FIELD_MAX)]
    )
    code = StringField("Code", validators=[DataRequired(), Length(max=40)])
