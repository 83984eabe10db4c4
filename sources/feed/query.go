package feed

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// writeQuery writes "?query" in canonical form: tracking parameters and empty
// parameters removed, names and values re-escaped canonically, parameters
// sorted by name then value. Nothing is written when nothing remains.
func writeQuery(b *strings.Builder, raw string) {
	if raw == "" {
		return
	}
	type param struct{ key, seg string }
	var params []param
	for seg := range strings.SplitSeq(raw, "&") {
		if seg == "" {
			continue
		}
		k, v, hasValue := strings.Cut(seg, "=")
		dk := unescapeQuery(k)
		if isTrackingParam(strings.ToLower(dk)) {
			continue
		}
		ck := url.QueryEscape(dk)
		if !hasValue {
			if ck == "" {
				continue
			}
			params = append(params, param{ck, ck})
			continue
		}
		params = append(params, param{ck, ck + "=" + url.QueryEscape(unescapeQuery(v))})
	}
	if len(params) == 0 {
		return
	}
	slices.SortFunc(params, func(a, b param) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.seg, b.seg))
	})
	b.WriteByte('?')
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.seg)
	}
}

// unescapeQuery decodes a query component; a malformed escape leaves the
// component as is (its '%' is then escaped as "%25" on output).
func unescapeQuery(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// isTrackingParam reports whether a lower-cased query parameter name is a
// click or campaign tracker that never changes which page a URL names:
//
//	utm_*                  Google Analytics campaign parameters
//	at_medium at_campaign at_custom1..4 at_bbc_team at_link_*  AT Internet / Piano (BBC)
//	fbclid gclid gclsrc dclid gbraid wbraid msclkid yclid ysclid twclid ttclid
//	li_fat_id epik rb_clickid s_kwcid  ad network click identifiers
//	mc_cid mc_eid          Mailchimp
//	_hsenc _hsmi __hstc __hssc __hsfp hsctatracking  HubSpot
//	mkt_tok                Marketo
//	oly_anon_id oly_enc_id Omeda
//	vero_id vero_conv      Vero
//	wickedid               Wicked Reports
//	igshid igsh            Instagram share
//	_ga _gl                Google cross-domain linker
//	ref_src ref_url        Twitter/X embeds
//	cmpid cmp ocid icid ncid sr_share smid  publisher campaign ids (Guardian CMP, NYT smid, MSN ocid, Yahoo ncid)
func isTrackingParam(k string) bool {
	if strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "at_custom") || strings.HasPrefix(k, "at_link_") {
		return true
	}
	switch k {
	case "at_medium", "at_campaign", "at_bbc_team",
		"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid",
		"twclid", "ttclid", "li_fat_id", "epik", "rb_clickid", "s_kwcid",
		"mc_cid", "mc_eid",
		"_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",
		"mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid",
		"igshid", "igsh", "_ga", "_gl", "ref_src", "ref_url",
		"cmpid", "cmp", "ocid", "icid", "ncid", "sr_share", "smid":
		return true
	}
	return false
}
