from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.views import home
from core.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("audits.urls")),
    path("", include("observations.urls")),
    path("", include("feedback.urls")),
    path("", include("performance.urls")),
    path("", include("rota.urls")),
    path("", include("themes.urls")),
]
