"""DRF's limit messages in Vietnamese: min/max value and length were bound into the field's
validators in English when the field was built, before `vietnamese_errors` ran."""

from django.core.validators import MaxLengthValidator
from django.utils import translation
from rest_framework import serializers

from dangvu.api.base import Serializer


class Limits(Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    code = serializers.CharField(min_length=2, max_length=4)


def _errors(data):
    s = Limits(data=data)
    assert not s.is_valid()
    return {k: [str(m) for m in v] for k, v in s.errors.items()}


def test_value_limits_speak_vietnamese():
    with translation.override("vi"):
        assert _errors({"year": 1999, "code": "ab"})["year"] == ["Giá trị không được nhỏ hơn 2000."]
        assert _errors({"year": 2101, "code": "ab"})["year"] == ["Giá trị không được lớn hơn 2100."]


def test_length_limits_speak_vietnamese():
    with translation.override("vi"):
        assert _errors({"year": 2026, "code": "a"})["code"] == ["Phải có ít nhất 2 ký tự."]
        assert _errors({"year": 2026, "code": "abcde"})["code"] == ["Không được dài quá 4 ký tự."]


def test_a_shared_validator_is_left_alone():
    """A validator passed in (say, a model field's, shared by every serializer built from it)
    keeps its own message: only the ones DRF made for this field are replaced."""
    shared = MaxLengthValidator(3)

    class WithShared(Serializer):
        code = serializers.CharField(validators=[shared])

    WithShared(data={"code": "abcd"}).is_valid()
    assert shared.message == MaxLengthValidator.message
