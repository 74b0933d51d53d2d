/* test_langid.c: a document's language (src/text/text_langid.c): a
 * sentence or three in every Snowball language and in each script named
 * (Cyrillic, Greek, Armenian, Arabic, Hebrew, Devanagari, Tamil, Thai,
 * Han, kana, Hangul), written for this test (public domain), each named as
 * Dify names it and stemmed in its own Snowball language; the edge cases
 * (no letters, too short for n-grams, mixed scripts, invalid UTF-8, a
 * cut inside a character), short notes whose n-grams mislead (stop
 * words decide) and the Snowball coverage itself. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "tap.h"
#include "text/text.h"
#include "text/text_langid.h"

#include <libstemmer.h>
#include <string.h>

static const struct sample {
	const char *name, *code, *text;
} samples[] = {
	{"English", "en",
	 "The committee will meet again next week to discuss the budget for the new library, and every member is asked to read the report before then."},
	{"German", "de",
	 "Der Ausschuss trifft sich nächste Woche wieder, um über den Haushalt der neuen Bibliothek zu sprechen, und jedes Mitglied soll den Bericht vorher lesen."},
	{"French", "fr",
	 "Le comité se réunira de nouveau la semaine prochaine pour discuter du budget de la nouvelle bibliothèque, et chaque membre doit lire le rapport avant."},
	{"Spanish", "es",
	 "El comité se reunirá de nuevo la próxima semana para hablar del presupuesto de la nueva biblioteca, y cada miembro debe leer el informe antes."},
	{"Italian", "it",
	 "Il comitato si riunirà di nuovo la settimana prossima per discutere il bilancio della nuova biblioteca, e ogni membro deve leggere la relazione prima."},
	{"Portuguese", "pt",
	 "O comitê vai se reunir novamente na próxima semana para discutir o orçamento da nova biblioteca, e cada membro deve ler o relatório antes disso."},
	{"Dutch", "nl",
	 "De commissie komt volgende week opnieuw bijeen om de begroting van de nieuwe bibliotheek te bespreken, en elk lid wordt gevraagd het verslag vooraf te lezen."},
	{"Danish", "da",
	 "Udvalget mødes igen i næste uge for at drøfte budgettet for det nye bibliotek, og hvert medlem bedes læse rapporten inden da."},
	{"Swedish", "sv",
	 "Kommittén träffas igen nästa vecka för att diskutera budgeten för det nya biblioteket, och varje ledamot ombeds läsa rapporten innan dess."},
	{"Norwegian", "nb",
	 "Komiteen møtes igjen neste uke for å drøfte budsjettet for det nye biblioteket, og hvert medlem blir bedt om å lese rapporten før det. Biblioteket skal ligge midt i byen og være åpent hver dag, også i helgene. Det blir plass til barn, studenter og eldre, og alle kan låne bøker gratis."},
	{"Finnish", "fi",
	 "Valiokunta kokoontuu uudelleen ensi viikolla keskustelemaan uuden kirjaston talousarviosta, ja jokaista jäsentä pyydetään lukemaan raportti sitä ennen."},
	{"Hungarian", "hu",
	 "A bizottság jövő héten újra összeül, hogy megvitassa az új könyvtár költségvetését, és minden tagot arra kérnek, hogy addig olvassa el a jelentést."},
	{"Romanian", "ro",
	 "Comitetul se va întâlni din nou săptămâna viitoare pentru a discuta bugetul noii biblioteci, iar fiecare membru este rugat să citească raportul înainte."},
	{"Turkish", "tr",
	 "Komite, yeni kütüphanenin bütçesini görüşmek için önümüzdeki hafta yeniden toplanacak ve her üyeden raporu daha önce okuması isteniyor."},
	{"Catalan", "ca",
	 "El comitè es tornarà a reunir la setmana que ve per parlar del pressupost de la nova biblioteca, i es demana a cada membre que llegeixi l'informe abans."},
	{"Basque", "eu",
	 "Batzordea datorren astean bilduko da berriro liburutegi berriaren aurrekontua eztabaidatzeko, eta kide bakoitzari txostena aurretik irakurtzeko eskatzen zaio."},
	{"Irish", "ga",
	 "Tiocfaidh an coiste le chéile arís an tseachtain seo chugainn chun buiséad na leabharlainne nua a phlé, agus iarrtar ar gach ball an tuarascáil a léamh roimhe sin."},
	{"Indonesian", "id",
	 "Komite akan bertemu lagi minggu depan untuk membahas anggaran perpustakaan yang baru, dan setiap anggota diminta membaca laporan itu sebelumnya."},
	{"Lithuanian", "lt",
	 "Komitetas vėl susitiks kitą savaitę aptarti naujosios bibliotekos biudžeto, ir kiekvienas narys prašomas iki tol perskaityti ataskaitą."},
	{"Serbian", "sr-Cyrl",
	 "Одбор ће се поново састати следеће недеље да би разговарао о буџету нове библиотеке, а сваки члан треба да прочита извештај пре тога."},
	{"Russian", "ru",
	 "Комитет снова соберётся на следующей неделе, чтобы обсудить бюджет новой библиотеки, и каждого члена просят прочитать отчёт заранее."},
	{"Ukrainian", "uk",
	 "Комітет знову збереться наступного тижня, щоб обговорити бюджет нової бібліотеки, і кожного члена просять прочитати звіт заздалегідь."},
	{"Bulgarian", "bg",
	 "Комисията ще се събере отново следващата седмица, за да обсъди бюджета на новата библиотека, и всеки член трябва да прочете доклада предварително."},
	{"Greek", "el",
	 "Η επιτροπή θα συνεδριάσει ξανά την επόμενη εβδομάδα για να συζητήσει τον προϋπολογισμό της νέας βιβλιοθήκης, και κάθε μέλος καλείται να διαβάσει την έκθεση πριν από τότε."},
	{"Armenian", "hy",
	 "Հանձնաժողովը կրկին կհավաքվի հաջորդ շաբաթ՝ քննարկելու նոր գրադարանի բյուջեն, և յուրաքանչյուր անդամից խնդրվում է նախապես կարդալ զեկույցը։"},
	{"Arabic", "ar",
	 "ستجتمع اللجنة مرة أخرى الأسبوع المقبل لمناقشة ميزانية المكتبة الجديدة، ويطلب من كل عضو قراءة التقرير قبل ذلك."},
	{"Persian", "fa",
	 "کمیته هفته آینده دوباره تشکیل جلسه می‌دهد تا درباره بودجه کتابخانه جدید گفتگو کند و از هر عضو خواسته می‌شود که گزارش را پیش از آن بخواند."},
	{"Hebrew", "he",
	 "הוועדה תתכנס שוב בשבוע הבא כדי לדון בתקציב של הספרייה החדשה, וכל חבר מתבקש לקרוא את הדוח לפני כן."},
	{"Yiddish", "yi",
	 "דער קאָמיטעט וועט זיך ווידער טרעפֿן די קומענדיקע וואָך כּדי צו רעדן וועגן דעם בודזשעט פֿון דער נײַער ביבליאָטעק, און יעדער מיטגליד דאַרף פֿריִער לייענען דעם באַריכט."},
	{"Hindi", "hi",
	 "समिति अगले सप्ताह फिर से बैठक करेगी ताकि नए पुस्तकालय के बजट पर चर्चा की जा सके, और हर सदस्य से अनुरोध है कि वह उससे पहले रिपोर्ट पढ़ ले।"},
	{"Nepali", "ne",
	 "समिति अर्को हप्ता फेरि भेला हुनेछ र नयाँ पुस्तकालयको बजेटबारे छलफल गर्नेछ, र प्रत्येक सदस्यलाई त्यसअघि प्रतिवेदन पढ्न अनुरोध गरिएको छ।"},
	{"Tamil", "ta",
	 "புதிய நூலகத்தின் வரவுசெலவுத் திட்டத்தைப் பற்றி விவாதிக்க குழு அடுத்த வாரம் மீண்டும் கூடும், ஒவ்வொரு உறுப்பினரும் அதற்கு முன் அறிக்கையைப் படிக்க வேண்டும்."},
	{"Thai", "th",
	 "คณะกรรมการจะประชุมอีกครั้งในสัปดาห์หน้าเพื่อหารือเรื่องงบประมาณของห้องสมุดแห่งใหม่ และขอให้สมาชิกทุกคนอ่านรายงานก่อนการประชุม"},
	{"Chinese Simplified", "zh-Hans",
	 "委员会下周将再次开会，讨论新图书馆的预算，请每位成员在此之前阅读这份报告。我们还会说明时间安排。"},
	{"Chinese Traditional", "zh-Hant",
	 "委員會下週將再次開會，討論新圖書館的預算，請每位成員在此之前閱讀這份報告。我們還會說明時間安排。"},
	{"Japanese", "ja",
	 "委員会は来週もう一度集まり、新しい図書館の予算について話し合います。各委員はそれまでに報告書を読んでおいてください。"},
	{"Korean", "ko",
	 "위원회는 새 도서관의 예산을 논의하기 위해 다음 주에 다시 모일 예정이며, 모든 위원은 그 전에 보고서를 읽어 주시기 바랍니다."},
	{"Polish", "pl",
	 "Komisja zbierze się ponownie w przyszłym tygodniu, aby omówić budżet nowej biblioteki, a każdy członek jest proszony o wcześniejsze przeczytanie sprawozdania."},
	{"Czech", "cs",
	 "Výbor se znovu sejde příští týden, aby projednal rozpočet nové knihovny, a každý člen je požádán, aby si zprávu předem přečetl."},
	{"Vietnamese", "vi",
	 "Ủy ban sẽ họp lại vào tuần tới để thảo luận về ngân sách của thư viện mới, và mỗi thành viên được yêu cầu đọc báo cáo trước đó."},
};

int main(void)
{
	size_t n = sizeof samples / sizeof *samples;
	for (size_t i = 0; i < n; i++) {
		const struct text_language *l = text_langid(samples[i].text, strlen(samples[i].text));
		is_str(l->name, samples[i].name, "%s: %s", samples[i].code, l->name);
		if (strcmp(l->code, samples[i].code))
			diag("code %s, expected %s", l->code, samples[i].code);
	}

	/* Every Snowball language libstemmer has is named and stemmed in. */
	const char **sb = sb_stemmer_list();
	size_t nl;
	const struct text_language *all = text_languages(&nl);
	for (; *sb; sb++) {
		int found = !strcmp(*sb, "porter");   /* English's older algorithm */
		for (size_t i = 0; i < nl && !found; i++)
			found = !strcmp(text_lang_snowball(all[i].stem), *sb);
		ok(found, "Snowball's %s is a language text_langid answers", *sb);
	}
	/* ... and each sample of a Snowball language gets its stemmer. */
	const char *sbl[] = {"English", "english", "Russian", "russian", "Greek", "greek", "Yiddish", "yiddish",
			     "Tamil", "tamil", "Serbian", "serbian", "Polish", "none", "Thai", "none", NULL};
	for (size_t k = 0; sbl[k]; k += 2)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(samples[i].name, sbl[k]))
				is_str(text_lang_snowball(text_langid(samples[i].text, strlen(samples[i].text))->stem),
				       sbl[k + 1], "%s is stemmed with %s", sbl[k], sbl[k + 1]);

	/* A query's script (text_script_stems). */
	enum text_lang sl[LANG_MAX];
	size_t ns = text_script_stems("Когда открыта", strlen("Когда открыта"), sl);
	ok(ns >= 2 && sl[0] == LANG_RU && sl[1] == LANG_NONE, "Cyrillic: Russian first, then the languages without a stemmer");
	ns = text_script_stems("βιβλιοθήκη", strlen("βιβλιοθήκη"), sl);
	ok(ns == 1 && sl[0] == LANG_EL, "Greek: Greek");
	ok(text_script_stems("Fenstern", 8, sl) == 0, "Latin: none (stop words decide)");

	/* Text with little prose, which n-grams misread: short English notes
	 * that n-grams took for Italian or French, holding none of those
	 * languages' stop words and several of English's; German prose with
	 * an English phrase keeps German (its own stop words are there). */
	static const char *const notes[] = {
		"Here is some text.\n\nHere is a note",
		"Here is some text.\n\nHere is a question",
		"Here is our text.\n\nHere is one comment",
		NULL};
	for (size_t k = 0; notes[k]; k++)
		is_str(text_langid(notes[k], strlen(notes[k]))->code, "en",
		       "stop words overrule n-grams that found none of their language's: note %zu", k + 1);
	const char *de = "Der Bericht der Kommission liegt vor, siehe the annex of the report für die Zahlen.";
	is_str(text_langid(de, strlen(de))->code, "de", "German prose with an English phrase stays German");

	/* Edge cases. */
	is_str(text_langid("", 0)->name, "English", "no text: English");
	is_str(text_langid("12 345 67,89 -- !!", 18)->name, "English", "no letters: English");
	const char *short_de = "Der Müll und die Tür";
	is_str(text_langid(short_de, strlen(short_de))->name, "German",
	       "a few words, too few letters for n-grams: the stop words decide");
	is_str(text_langid("Привет", strlen("Привет"))->name, "Russian", "one Cyrillic word: the script's first language");
	const char *mixed = "The new library budget (новый бюджет) was approved by the committee on Tuesday after a long debate.";
	is_str(text_langid(mixed, strlen(mixed))->name, "English", "an English text quoting Russian: English");
	const char *zh_en = "Quire 支持的文件格式包括 PDF 和 DOCX，上传以后系统会自动提取文本并建立索引，用户可以直接提问。";
	is_str(text_langid(zh_en, strlen(zh_en))->name, "Chinese Simplified", "Chinese with Latin names in it: Chinese");
	char bad[256];
	snprintf(bad, sizeof bad, "%s\xff\xfe%s", samples[1].text, samples[1].text);
	is_str(text_langid(bad, strlen(bad))->name, "German", "invalid UTF-8 bytes are skipped");
	/* a buffer longer than TEXT_LANGID_BYTES, cut inside a character */
	static char big[TEXT_LANGID_BYTES + 64];
	size_t el = strlen(samples[20].text), b = 0;
	while (b + el < sizeof big - 1) {
		memcpy(big + b, samples[20].text, el);
		b += el;
	}
	big[b] = 0;
	is_str(text_langid(big, b)->name, "Russian", "a long text is read from its first %d bytes", TEXT_LANGID_BYTES);
	return done_testing();
}
