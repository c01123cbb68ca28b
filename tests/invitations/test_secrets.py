"""Short codes and tokens: shape, check character, forgiving input."""

import itertools

import pytest

from app.domain.invitations import secrets as s


def test_code_shape_and_display(settings):
    code = s.code_for(s.INVITATION, s.new_salt())
    assert len(code) == 9 and all(ch in s.ALPHABET for ch in code)
    shown = s.display(code)
    assert len(shown) == 11 and shown[3] == shown[7] == "-"
    for look_alike in "0O1IL":
        assert look_alike not in s.ALPHABET


def test_typing_is_forgiving(settings):
    code = s.code_for(s.INVITATION, s.new_salt())
    assert s.normalise(s.display(code).lower()) == code
    assert s.normalise(" " + code[:3] + " " + code[3:6] + "-" + code[6:] + " ") == code


def test_every_single_character_typo_is_reported_as_a_typo(settings):
    code = s.code_for(s.INVITATION, s.new_salt())
    for position, wrong in itertools.product(range(9), s.ALPHABET):
        if code[position] == wrong:
            continue
        typo = code[:position] + wrong + code[position + 1 :]
        with pytest.raises(s.CodeProblem) as problem:
            s.normalise(typo)
        assert problem.value.reason == "typo"


def test_neighbour_swaps_are_caught(settings):
    code = s.code_for(s.INVITATION, s.new_salt())
    for i in range(8):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if swapped != code:
            with pytest.raises(s.CodeProblem):
                s.normalise(swapped)


@pytest.mark.parametrize("typed", ["", "ABC", "K7P-4QX-9MA-X", "O0O-000-000", "K7P-4QX-9M!"])
def test_malformed_codes(settings, typed):
    with pytest.raises(s.CodeProblem) as problem:
        s.normalise(typed)
    assert problem.value.reason == "format"


def test_codes_and_tokens_depend_on_the_secret(settings):
    salt = s.new_salt()
    token = s.token_for(s.INVITATION, 42, salt)
    assert s.token_matches(s.INVITATION, token, salt)
    assert not s.token_matches(s.INVITATION, token, s.new_salt())
    assert not s.token_matches(s.BADGE, token, salt)
    assert len(token.split(".")[1]) * 6 >= 128
    assert s.split_token("1.short") is None and s.split_token("x." + "a" * 32) is None
    assert s.code_lookup(s.INVITATION, "K7P4QX9MA") != "K7P4QX9MA"
