"""scikit-learn's own estimator checks, with every expected failure listed and explained."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from fraudrisk import FraudRiskModel, ShopFeaturizer
from fraudrisk.ensemble import CalibratedEnsembleClassifier

RECORDS_NOT_MATRIX = (
    "the input is shop records (dicts or DataFrame rows with a 'url' field), not a numeric matrix; "
    "the check feeds a numeric array, which is refused with a SchemaError naming the record"
)
SHARED = {
    name: RECORDS_NOT_MATRIX
    for name in (
        "check_fit_score_takes_y",
        "check_estimators_overwrite_params",
        "check_dont_overwrite_parameters",
        "check_estimators_fit_returns_self",
        "check_readonly_memmap_input",
        "check_n_features_in_after_fitting",
        "check_positive_only_tag_during_fit",
        "check_estimators_dtypes",
        "check_dtype_object",
        "check_pipeline_consistency",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_dict_unchanged",
        "check_fit_idempotent",
        "check_fit_check_is_fitted",
        "check_n_features_in",
        "check_fit2d_predict1d",
    )
}
SHARED |= {
    "check_complex_data": "complex numbers are not shop records; refused as records, not with sklearn's wording",
    "check_estimators_empty_data_messages": "an empty numeric matrix is refused as 'not shop records', "
    "not with sklearn's '0 feature(s)' wording",
    "check_estimator_sparse_tag": "a sparse matrix is not shop records; refused as such",
    "check_estimator_sparse_array": "a sparse array is not shop records; refused as such",
    "check_estimator_sparse_matrix": "a sparse matrix is not shop records; refused as such",
    "check_fit2d_1sample": "the one-sample numeric matrix is refused as 'not shop records' before any sample "
    "count is checked",
    "check_fit2d_1feature": "the one-feature numeric matrix is refused as 'not shop records'; the number of "
    "output features does not depend on input columns",
}
FEATURIZER_FAILURES = SHARED | {
    name: RECORDS_NOT_MATRIX
    for name in (
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
    )
}
MODEL_FAILURES = SHARED | {
    name: RECORDS_NOT_MATRIX
    for name in (
        "check_classifier_data_not_an_array",
        "check_classifiers_classes",
        "check_classifiers_train",
        "check_supervised_y_2d",
        "check_estimators_nan_inf",
        "check_classifiers_one_label",
        "check_classifiers_regression_target",
        "check_requires_y_none",
    )
}


def _expected_failures(estimator):
    if isinstance(estimator, ShopFeaturizer):
        return FEATURIZER_FAILURES
    if isinstance(estimator, FraudRiskModel):
        return MODEL_FAILURES
    return {}


@parametrize_with_checks(
    [
        ShopFeaturizer(),
        CalibratedEnsembleClassifier(n_estimators=10),
        FraudRiskModel(classifier=CalibratedEnsembleClassifier(n_estimators=5)),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
