from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.index, name="index"),
    path("training/mine/", views.mine, name="mine"),
    path("training/courses/<int:pk>/", views.course_detail, name="course"),
    path("training/courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("training/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("training/courses/<int:pk>/chapters/new/", views.chapter_add, name="chapter_add"),
    path("training/courses/new/", views.course_edit, name="course_new"),
    path("training/chapters/<int:pk>/", views.chapter, name="chapter"),
    path("training/chapters/<int:pk>/progress/", views.progress, name="progress"),
    path("training/chapters/<int:pk>/presence/", views.presence, name="presence"),
    path("training/chapters/<int:pk>/media/", views.chapter_media, name="media"),
    path("training/chapters/<int:pk>/preview/", views.chapter_preview, name="preview"),
    path("training/chapters/<int:pk>/download/", views.chapter_download, name="download"),
    path("training/exams/<int:pk>/", views.exam, name="exam"),
    path("training/exams/<int:pk>/edit/", views.exam_edit, name="exam_edit"),
    path("training/exams/new/", views.exam_edit, name="exam_new"),
    path("training/attempts/<int:pk>/", views.attempt, name="attempt"),
    path("training/certificates/<str:code>.<str:fmt>", views.certificate_file, name="certificate"),
    path("training/verify/", views.verify, name="verify"),
    path("training/manage/", views.manage, name="manage"),
    path("training/assignments/new/", views.assign, name="assign"),
    path("training/enrolments/<int:pk>/decide/", views.enrolment_decide, name="enrolment_decide"),
    path("training/banks/new/", views.bank_detail, name="bank_new"),
    path("training/banks/<int:pk>/", views.bank_detail, name="bank"),
    path("training/banks/<int:pk>/import/", views.bank_import, name="bank_import"),
    path("training/banks/template.xlsx", views.bank_template, name="bank_template"),
    path("training/records/", views.records, name="records"),
    path("training/classes/", views.classes, name="classes"),
    path("training/classes/<int:pk>/", views.class_detail, name="class"),
    path("training/bases/new/", views.base_add, name="base_add"),
]
