//! The requests that read the catalog: go to definition, hover,
//! completion and code actions, each answered from the last lint. A
//! request about a file outside the catalog, or before any lint, gets an
//! empty answer; one whose parameters do not parse, an `InvalidParams`
//! error. Any other method is `MethodNotFound`.

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CodeActionParams, CompletionParams, CompletionResponse, GotoDefinitionParams,
    GotoDefinitionResponse, HoverParams, Url,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::snapshot::View;
use super::{actions, completion, definition, hover};

/// The answer to `req`. `view` is `None` before the first lint (or after
/// one that failed); `rel` maps a document to its catalog-relative path.
pub fn answer(view: Option<&View>, rel: &dyn Fn(&Url) -> Option<String>, req: Request) -> Response {
    let id = req.id.clone();
    let result = match req.method.as_str() {
        GotoDefinition::METHOD => with::<GotoDefinitionParams, _>(req, |p| {
            let at = p.text_document_position_params;
            let (v, rel) = (view?, rel(&at.text_document.uri)?);
            definition::definition(v, &rel, at.position).map(GotoDefinitionResponse::Scalar)
        }),
        HoverRequest::METHOD => with::<HoverParams, _>(req, |p| {
            let at = p.text_document_position_params;
            let (v, rel) = (view?, rel(&at.text_document.uri)?);
            hover::hover(v, &rel, at.position)
        }),
        Completion::METHOD => with::<CompletionParams, _>(req, |p| {
            let at = p.text_document_position;
            let (v, rel) = (view?, rel(&at.text_document.uri)?);
            completion::completion(v, &rel, at.position).map(CompletionResponse::List)
        }),
        CodeActionRequest::METHOD => with::<CodeActionParams, _>(req, |p| {
            let uri = p.text_document.uri;
            let (v, rel) = (view?, rel(&uri)?);
            Some(actions::code_actions(v, &rel, &uri, p.range))
        }),
        other => Err((
            ErrorCode::MethodNotFound,
            format!("kdl lsp: {other} is not supported"),
        )),
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

/// Parses the parameters and serialises what `f` makes of them (`null`
/// for `None`).
fn with<P: DeserializeOwned, R: Serialize>(req: Request, f: impl FnOnce(P) -> Option<R>) -> Answer {
    let params: P = serde_json::from_value(req.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("kdl lsp: {}: {e}", req.method),
        )
    })?;
    serde_json::to_value(f(params)).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}
