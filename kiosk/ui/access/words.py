"""The words of the accessibility controls, in both languages."""

from __future__ import annotations

WORDS = {
    "menu": ("无障碍", "Access"),
    "menu_title": ("无障碍选项", "Accessibility"),
    "larger_text": ("放大文字", "Larger text"),
    "high_contrast": ("高对比度", "High contrast"),
    "reduced_motion": ("减少动态", "Reduce motion"),
    "narration": ("声音讲解", "Narration"),
    "volume": ("音量 {v}%", "Volume {v}%"),
    "quieter": ("小声", "Quieter"),
    "louder": ("大声", "Louder"),
    "read_aloud": ("朗读本页", "Read aloud"),
    "listen": ("收听讲解", "Listen"),
    "play": ("播放", "Play"),
    "pause": ("暂停", "Pause"),
    "stop": ("停止", "Stop"),
    "preparing": ("正在准备朗读……", "Preparing to read…"),
    "colon": ("：", ": "),
    "on": ("开", "On"),
    "off": ("关", "Off"),
    "close": ("关闭", "Close"),
    "no_sound": ("本机没有声音输出", "No sound output on this kiosk"),
    "playing_narration": ("讲解录音", "Narration"),
    "playing_speech": ("朗读", "Reading aloud"),
    "picture": ("图片：{t}", "Picture: {t}"),
}


def word(key: str, lang: str, **values) -> str:
    zh, en = WORDS.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
