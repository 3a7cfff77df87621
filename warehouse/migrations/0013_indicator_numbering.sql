-- Indicators meet across documents by their names (parsers/matching.py, indicator_match_key in 0008). A
-- self-evaluation typed by an office numbers its names ('1.数量指标', '（1）发放劳模“三金”人数', '一、产出指标',
-- '①'), its target table does not: the same indicator. The name's key now drops the number typed before it, but
-- not one that is part of the name ('1.5万人次培训': a digit right after the point). RE2 has no lookahead: the
-- character after the number is matched and put back (\1). The Python rule is the same (a test keeps them equal).
CREATE OR REPLACE MACRO indicator_name_key(name) AS
    regexp_replace(
        regexp_replace(translate(coalesce(name, ''), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　 ', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~  '), '[\s"''“”‘’「」『』《》]+', '', 'g'),
        '^(?:[0-9]+[.、]|\(?[0-9]+\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[①-⑳])([^0-9]|$)', '\1');
