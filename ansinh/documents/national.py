"""The national heading every document carries, whatever its format (Decree 30/2020/NĐ-CP,
Appendix I, items 1 and 2): the national title and the motto. The .docx layout
(`ansinh.documents.layout`) and the Excel lists (`ansinh.poverty.exports`) both print these."""

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
