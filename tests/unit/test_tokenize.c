/*
 * test_tokenize.c - the command-line tokenizer (src/ui/tokenize.c):
 * words, quotes, escapes, errors, and joining words back.
 */
#include "kp_test.h"
#include "ui/tokenize.h"

static int split(const char *line, struct kp_args *a)
{
	char err[128];
	return kp_tokenize(line, a, err, sizeof(err));
}

KP_TEST(splits_on_whitespace)
{
	struct kp_args a;
	KP_CHECK_EQ(st, split("  break\tip_rcv   if  cpu==1 ", &a), 0);
	KP_CHECK_EQ(st, a.argc, 4);
	KP_CHECK_STR(st, a.argv[0], "break");
	KP_CHECK_STR(st, a.argv[1], "ip_rcv");
	KP_CHECK_STR(st, a.argv[2], "if");
	KP_CHECK_STR(st, a.argv[3], "cpu==1");
	KP_CHECK(st, a.argv[4] == NULL);
	kp_args_free(&a);
}

KP_TEST(empty_line_gives_no_words)
{
	struct kp_args a;
	KP_CHECK_EQ(st, split("   ", &a), 0);
	KP_CHECK_EQ(st, a.argc, 0);
	KP_CHECK(st, a.argv && a.argv[0] == NULL);
	kp_args_free(&a);
}

KP_TEST(double_quotes_group_and_escape)
{
	struct kp_args a;
	KP_CHECK_EQ(st, split("say \"two  words\" \"\" a\"b c\"d "
			      "\"q\\\"x\\\\y\\n\"",
			      &a),
		    0);
	KP_CHECK_EQ(st, a.argc, 5);
	KP_CHECK_STR(st, a.argv[1], "two  words");
	KP_CHECK_STR(st, a.argv[2], "");
	KP_CHECK_STR(st, a.argv[3], "ab cd");
	KP_CHECK_STR(st, a.argv[4], "q\"x\\y\n");
	kp_args_free(&a);
}

KP_TEST(backslash_escapes_outside_quotes)
{
	struct kp_args a;
	KP_CHECK_EQ(st, split("echo a\\ b \\\"q\\\" skb#3", &a), 0);
	KP_CHECK_EQ(st, a.argc, 4);
	KP_CHECK_STR(st, a.argv[1], "a b");
	KP_CHECK_STR(st, a.argv[2], "\"q\"");
	KP_CHECK_STR(st, a.argv[3], "skb#3");
	kp_args_free(&a);
}

KP_TEST(unterminated_quote_is_an_error)
{
	struct kp_args a;
	char err[128] = "";
	KP_CHECK(st, kp_tokenize("say \"open", &a, err, sizeof(err)) < 0);
	KP_CHECK(st, strstr(err, "unterminated") != NULL);
	KP_CHECK(st, a.argv == NULL && a.argc == 0);
}

KP_TEST(trailing_backslash_is_an_error)
{
	struct kp_args a;
	char err[128] = "";
	KP_CHECK(st, kp_tokenize("say x\\", &a, err, sizeof(err)) < 0);
	KP_CHECK(st, strstr(err, "backslash") != NULL);
}

KP_TEST(join_round_trips)
{
	char *words[] = { "say", "two words", "", "q\"x", "a\\b", "tab\t",
			  NULL };
	char *line = kp_args_join(6, words);
	struct kp_args a;
	KP_CHECK_EQ(st, split(line, &a), 0);
	KP_CHECK_EQ(st, a.argc, 6);
	for (int i = 0; i < 6 && i < a.argc; i++)
		KP_CHECK_STR(st, a.argv[i], words[i]);
	kp_args_free(&a);
	free(line);
	line = kp_args_join(1, words);
	KP_CHECK_STR(st, line, "say");
	free(line);
}

KP_TEST_MAIN(splits_on_whitespace, empty_line_gives_no_words,
	     double_quotes_group_and_escape, backslash_escapes_outside_quotes,
	     unterminated_quote_is_an_error, trailing_backslash_is_an_error,
	     join_round_trips)
