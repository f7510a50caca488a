from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("contributions/", views.contribution_list, name="contributions"),
    path("contributions/new/", views.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/withdraw/", views.contribution_withdraw_view, name="contribution_withdraw"),
    path("receipts/", views.receipt_list, name="receipts"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt"),
]
