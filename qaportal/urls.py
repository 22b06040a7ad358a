from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.views import family_link, family_link_thanks, home
from core.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Opened by families without an account (cases.links): outside every app's namespace,
    # short enough to type from a letter.
    path("have-your-say/thank-you/", family_link_thanks, name="family_link_thanks"),
    path("have-your-say/<str:token>/", family_link, name="family_link"),
    path("", include("cases.urls")),
    path("", include("audits.urls")),
    path("", include("observations.urls")),
    path("", include("feedback.urls")),
    path("", include("performance.urls")),
    path("", include("rota.urls")),
    path("", include("themes.urls")),
    path("", include("governance.urls")),
]
