from django.urls import path

from . import feeds, views

app_name = "publicity"

urlpatterns = [
    path("news/", views.public_list, name="public_list"),
    path("news/<int:pk>/", views.public_detail, name="public_detail"),
    path("news/feed.xml", feeds.LatestArticles(), name="feed"),
    path("news/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("publicity/", views.desk, name="desk"),
    path("publicity/articles/new/", views.article_edit, name="article_new"),
    path("publicity/articles/<int:pk>/", views.article_detail, name="article"),
    path("publicity/articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("publicity/articles/<int:pk>/action/", views.article_action, name="article_action"),
    path("publicity/events/", views.event_manage, name="event_manage"),
    path("publicity/events/<int:pk>/", views.event_attendance, name="event_attendance"),
    path("publicity/info/", views.info_list, name="info"),
    path("publicity/info/<int:pk>/decide/", views.info_decide, name="info_decide"),
    path("publicity/info/stats/", views.info_stats, name="info_stats"),
]
